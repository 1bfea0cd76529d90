using Microsoft.Extensions.Options;
using RxInfer.OptionsValidation;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Checks at start the <see cref="RxInferEndpointOptions"/> rule a data annotation does not state well (the others are
/// annotations, checked by <see cref="RxInferEndpointOptionsDataValidator"/>): the request body limit, which has no
/// maximum that a <c>[Range]</c> message should print. Messages name the property (<c>RxInferEndpointOptions.X</c>),
/// and the configuration path too when the options were bound from configuration.
/// </summary>
/// <param name="source">Where the options came from, for the wording of the messages.</param>
internal sealed class RxInferEndpointOptionsValidator(OptionsSource<RxInferEndpointOptions> source) : IValidateOptions<RxInferEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, RxInferEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxRequestBodySize > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{source.Name(nameof(options.MaxRequestBodySize))} must be greater than zero (was {options.MaxRequestBodySize}).");
    }
}
