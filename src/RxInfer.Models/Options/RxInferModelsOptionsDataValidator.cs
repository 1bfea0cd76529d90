using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>
/// The data annotations of <see cref="RxInferModelsOptions"/>, checked by code the options source generator writes
/// (no reflection). Registered through <c>AnnotatedOptionsValidator</c>, which words its messages.
/// </summary>
[OptionsValidator]
internal sealed partial class RxInferModelsOptionsDataValidator : IValidateOptions<RxInferModelsOptions>;
