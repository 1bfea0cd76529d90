using Microsoft.Extensions.Options;

namespace RxInfer.Models;

/// <summary>Checks the models options at start, with messages that name the setting.</summary>
internal sealed class RxInferModelsOptionsValidator : IValidateOptions<RxInferModelsOptions>
{
    private static readonly TimeSpan MaxRuntimeTimeout = TimeSpan.FromDays(24);

    public ValidateOptionsResult Validate(string? name, RxInferModelsOptions options)
    {
        var errors = new List<string>();
        if (options.MaxDescriptionLength <= 0)
        {
            errors.Add($"RxInfer:Models:MaxDescriptionLength must be greater than zero (was {options.MaxDescriptionLength}).");
        }

        if (options.Locations is null)
        {
            errors.Add("RxInfer:Models:Locations must be a list of folders (it may be empty).");
        }
        else
        {
            for (var i = 0; i < options.Locations.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(options.Locations[i]))
                {
                    errors.Add($"RxInfer:Models:Locations:{i} must name a folder.");
                }
            }
        }

        if (options.RuntimeTimeout <= TimeSpan.Zero || options.RuntimeTimeout > MaxRuntimeTimeout)
        {
            errors.Add($"RxInfer:Models:RuntimeTimeout must be greater than zero and at most 24 days (was {options.RuntimeTimeout}).");
        }

        Positive(errors, "MaxEventsPerAttach", options.MaxEventsPerAttach);
        Positive(errors, "MaxEventsPerEpisode", options.MaxEventsPerEpisode);
        Positive(errors, "MaxEpisodesPerInstance", options.MaxEpisodesPerInstance);
        Positive(errors, "MaxEventDataSize", options.MaxEventDataSize);
        Positive(errors, "MaxEventMetadataSize", options.MaxEventMetadataSize);
        if (options.MaxEventsPerAttach > options.MaxEventsPerEpisode && options.MaxEventsPerEpisode > 0)
        {
            errors.Add($"RxInfer:Models:MaxEventsPerAttach ({options.MaxEventsPerAttach}) must not be greater than RxInfer:Models:MaxEventsPerEpisode ({options.MaxEventsPerEpisode}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, int value)
    {
        if (value <= 0)
        {
            errors.Add($"RxInfer:Models:{name} must be greater than zero (was {value}).");
        }
    }
}
