using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>
/// The data annotations of <see cref="JwtTokenOptions"/> (issuer, audience, clock skew, token length, cache size),
/// checked by code the options source generator writes (no reflection). Registered through
/// <c>AnnotatedOptionsValidator</c>, which words its messages.
/// </summary>
[OptionsValidator]
internal sealed partial class JwtTokenOptionsDataValidator : IValidateOptions<JwtTokenOptions>;
