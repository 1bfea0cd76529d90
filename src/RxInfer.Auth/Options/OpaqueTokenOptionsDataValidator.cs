using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>
/// The data annotations of <see cref="OpaqueTokenOptions"/>, checked by code the options source generator writes
/// (no reflection). Registered through <c>AnnotatedOptionsValidator</c>, which words its messages.
/// </summary>
[OptionsValidator]
internal sealed partial class OpaqueTokenOptionsDataValidator : IValidateOptions<OpaqueTokenOptions>;
