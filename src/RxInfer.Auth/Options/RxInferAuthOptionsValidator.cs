using Microsoft.Extensions.Options;
using RxInfer.OptionsValidation;

namespace RxInfer.Auth;

/// <summary>
/// Checks the auth options at start. Every message names the property (<c>ApiKeyOptions.Keys[1].Id</c>), and the
/// configuration path too when the options were bound from configuration (<see cref="OptionsSource{TOptions}"/>). The
/// one-value rule a data annotation states well is an annotation (<see cref="OpaqueTokenOptions.MaxTokens"/>, checked
/// by <see cref="OpaqueTokenOptionsDataValidator"/>); the rest is here: token prefixes, role lists, the keys and their
/// duplicates, and the unbounded lifetimes (a <c>[Range]</c> over <see cref="TimeSpan"/> needs a maximum and would
/// print it, the generated range check ignoring <c>ErrorMessage</c>: dotnet/runtime#123137).
/// </summary>
internal sealed class RxInferAuthOptionsValidator(
    OptionsSource<RxInferAuthOptions> authSource,
    OptionsSource<OpaqueTokenOptions> opaqueSource,
    OptionsSource<ApiKeyOptions> apiKeySource) :
    IValidateOptions<RxInferAuthOptions>,
    IValidateOptions<OpaqueTokenOptions>,
    IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, RxInferAuthOptions options)
    {
        var errors = new List<string>();
        if (options.AccessTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{authSource.Name(nameof(options.AccessTokenLifetime))} must be greater than zero (was {options.AccessTokenLifetime}).");
        }

        CheckRoles(options.DefaultRoles, authSource.Name(nameof(options.DefaultRoles)), errors);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, OpaqueTokenOptions options)
    {
        var errors = new List<string>();
        if (!OpaqueTokenFormat.IsValidPrefix(options.Prefix))
        {
            errors.Add($"{opaqueSource.Name(nameof(options.Prefix))} '{options.Prefix}' is not valid. {OpaqueTokenFormat.PrefixRule}");
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var errors = new List<string>();
        if (!OpaqueTokenFormat.IsValidPrefix(options.Prefix))
        {
            errors.Add($"{apiKeySource.Name(nameof(options.Prefix))} '{options.Prefix}' is not valid. {OpaqueTokenFormat.PrefixRule}");
        }

        if (options.Lifetime <= TimeSpan.Zero)
        {
            errors.Add($"{apiKeySource.Name(nameof(options.Lifetime))} must be greater than zero (was {options.Lifetime}).");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new Dictionary<TokenHash, int>(); // parsed, so hexadecimal digits compare in either case
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"Keys:{i}";
            if (key is null)
            {
                errors.Add($"{apiKeySource.Name(at)} is empty.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(key.Id))
            {
                errors.Add($"{apiKeySource.Name($"{at}:Id")} is required.");
            }
            else if (!ids.Add(key.Id))
            {
                errors.Add($"{apiKeySource.Name($"{at}:Id")} '{key.Id}' is used by another key.");
            }

            if (string.IsNullOrWhiteSpace(key.Subject))
            {
                errors.Add($"{apiKeySource.Name($"{at}:Subject")} is required.");
            }

            if (!TokenHash.TryParse(key.Sha256, out var hash))
            {
                errors.Add($"{apiKeySource.Name($"{at}:Sha256")} must be the SHA-256 of the key as 64 hexadecimal characters.");
            }
            else if (!hashes.TryAdd(hash, i))
            {
                errors.Add($"{apiKeySource.Name($"{at}:Sha256")} is the same as {apiKeySource.Name($"Keys:{hashes[hash]}:Sha256")}: each key must be configured once.");
            }

            CheckRoles(key.Roles, apiKeySource.Name($"{at}:Roles"), errors);
        }

        return Result(errors);
    }

    private static void CheckRoles(IList<string>? roles, string setting, List<string> errors)
    {
        if (roles is null || roles.Count == 0)
        {
            errors.Add($"{setting} must name at least one role.");
        }
        else if (roles.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{setting} must not contain an empty role.");
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
