using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>Checks the auth options at start, with messages that name the setting.</summary>
internal sealed class RxInferAuthOptionsValidator :
    IValidateOptions<RxInferAuthOptions>,
    IValidateOptions<OpaqueTokenOptions>,
    IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, RxInferAuthOptions options)
    {
        var errors = new List<string>();
        if (options.AccessTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add($"RxInfer:Auth:AccessTokenLifetime must be greater than zero (was {options.AccessTokenLifetime}).");
        }

        CheckRoles(options.DefaultRoles, "RxInfer:Auth:DefaultRoles", errors);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, OpaqueTokenOptions options)
    {
        var errors = new List<string>();
        if (!OpaqueTokenFormat.IsValidPrefix(options.Prefix))
        {
            errors.Add($"RxInfer:Auth:Opaque:Prefix '{options.Prefix}' is not valid. {OpaqueTokenFormat.PrefixRule}");
        }

        if (options.MaxTokens < 0)
        {
            errors.Add($"RxInfer:Auth:Opaque:MaxTokens must be zero (no limit) or greater (was {options.MaxTokens}).");
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var errors = new List<string>();
        if (!OpaqueTokenFormat.IsValidPrefix(options.Prefix))
        {
            errors.Add($"RxInfer:Auth:ApiKeys:Prefix '{options.Prefix}' is not valid. {OpaqueTokenFormat.PrefixRule}");
        }

        if (options.Lifetime <= TimeSpan.Zero)
        {
            errors.Add($"RxInfer:Auth:ApiKeys:Lifetime must be greater than zero (was {options.Lifetime}).");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new Dictionary<TokenHash, int>(); // parsed, so hexadecimal digits compare in either case
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"RxInfer:Auth:ApiKeys:Keys:{i}";
            if (key is null)
            {
                errors.Add($"{at} is empty.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(key.Id))
            {
                errors.Add($"{at}:Id is required.");
            }
            else if (!ids.Add(key.Id))
            {
                errors.Add($"{at}:Id '{key.Id}' is used by another key.");
            }

            if (string.IsNullOrWhiteSpace(key.Subject))
            {
                errors.Add($"{at}:Subject is required.");
            }

            if (!TokenHash.TryParse(key.Sha256, out var hash))
            {
                errors.Add($"{at}:Sha256 must be the SHA-256 of the key as 64 hexadecimal characters.");
            }
            else if (!hashes.TryAdd(hash, i))
            {
                errors.Add($"{at}:Sha256 is the same as RxInfer:Auth:ApiKeys:Keys:{hashes[hash]}:Sha256: each key must be configured once.");
            }

            CheckRoles(key.Roles, $"{at}:Roles", errors);
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
