using Microsoft.Extensions.Options;
using RxInfer.OptionsValidation;

namespace RxInfer.Models;

/// <summary>
/// The rules of <see cref="RxInferModelsOptions"/> that data annotations cannot state (the one-value rules are
/// annotations on the options, checked by <see cref="RxInferModelsOptionsDataValidator"/>): every location names a
/// folder, one call may not carry more events than an episode holds, and the two unbounded times (a <c>[Range]</c> over
/// <see cref="TimeSpan"/> needs a maximum, and would print <see cref="TimeSpan.MaxValue"/> in its message: the generated
/// range check ignores <c>ErrorMessage</c>, dotnet/runtime#123137).
/// </summary>
internal sealed class RxInferModelsOptionsValidator(OptionsSource<RxInferModelsOptions> source) : IValidateOptions<RxInferModelsOptions>
{
    public ValidateOptionsResult Validate(string? name, RxInferModelsOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < (options.Locations?.Length ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(options.Locations![i]))
            {
                errors.Add($"{source.Name($"Locations:{i}")} must name a folder.");
            }
        }

        if (options.MaxEventsPerAttach > options.MaxEventsPerEpisode && options.MaxEventsPerEpisode > 0)
        {
            errors.Add($"{source.Name(nameof(options.MaxEventsPerAttach))} ({options.MaxEventsPerAttach}) must not be greater than {source.Name(nameof(options.MaxEventsPerEpisode))} ({options.MaxEventsPerEpisode}).");
        }

        if (options.InstanceRetention < TimeSpan.Zero)
        {
            errors.Add($"{source.Name(nameof(options.InstanceRetention))} must not be negative (was {options.InstanceRetention}).");
        }

        if (options.RetentionSweepInterval <= TimeSpan.Zero)
        {
            errors.Add($"{source.Name(nameof(options.RetentionSweepInterval))} must be greater than zero (was {options.RetentionSweepInterval}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
