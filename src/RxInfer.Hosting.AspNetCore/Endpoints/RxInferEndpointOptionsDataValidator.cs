using Microsoft.Extensions.Options;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The data annotations of <see cref="RxInferEndpointOptions"/> (scheme, rate limit, discovery cache, roles, edition),
/// checked by code the options source generator writes (no reflection). Registered through
/// <c>AnnotatedOptionsValidator</c>, which words its messages.
/// </summary>
[OptionsValidator]
internal sealed partial class RxInferEndpointOptionsDataValidator : IValidateOptions<RxInferEndpointOptions>;
