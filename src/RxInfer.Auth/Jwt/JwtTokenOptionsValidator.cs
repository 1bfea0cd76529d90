using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>Checks <see cref="JwtTokenOptions"/> at start, with messages that name the setting (never a secret).</summary>
internal sealed class JwtTokenOptionsValidator : IValidateOptions<JwtTokenOptions>
{
    private const string Section = "RxInfer:Auth:Jwt";

    public ValidateOptionsResult Validate(string? name, JwtTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add($"{Section}:Issuer is required.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{Section}:Audience is required.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > JwtTokenOptions.MaxClockSkew)
        {
            errors.Add($"{Section}:ClockSkew must be between 00:00:00 and {JwtTokenOptions.MaxClockSkew} (was {options.ClockSkew}).");
        }

        if (options.MaxTokenLength <= 0)
        {
            errors.Add($"{Section}:MaxTokenLength must be greater than zero (was {options.MaxTokenLength}).");
        }

        if (options.CacheSize < 0)
        {
            errors.Add($"{Section}:CacheSize must be zero (no cache) or more (was {options.CacheSize}).");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:MaxLifetime must be greater than zero (was {options.MaxLifetime}).");
        }

        CheckKeys(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckKeys(JwtTokenOptions options, List<string> errors)
    {
        var keys = options.Keys ?? [];
        if (keys.Length == 0)
        {
            if (!options.GenerateEphemeralKey)
            {
                errors.Add($"{Section}:Keys must contain at least one key (or set GenerateEphemeralKey in development).");
            }

            if (options.SigningKeyId is not null)
            {
                errors.Add($"{Section}:SigningKeyId '{options.SigningKeyId}' names no key: {Section}:Keys is empty.");
            }

            return;
        }

        var signers = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            var at = $"{Section}:Keys:{i}";
            if (key is null)
            {
                errors.Add($"{at} is empty.");
                continue;
            }

            var idIsUsable = false;
            if (string.IsNullOrWhiteSpace(key.KeyId))
            {
                errors.Add($"{at}:KeyId is required.");
            }
            else if (signers.ContainsKey(key.KeyId))
            {
                errors.Add($"{at}:KeyId '{key.KeyId}' is used by another key.");
            }
            else
            {
                idIsUsable = true;
            }

            if (key.Algorithm is null)
            {
                errors.Add($"{at}:Algorithm is required (HS256, RS256 or ES256).");
                continue;
            }

            var valid = JwtKeyRing.TryCreateKey(key, out _, out var canSign, out var error);
            if (!valid)
            {
                errors.Add($"{at}:{error}");
            }

            if (idIsUsable)
            {
                signers.Add(key.KeyId!, !valid || canSign); // an invalid key is reported above, not again here
            }
        }

        var signingKeyId = options.SigningKeyId ?? keys[0]?.KeyId;
        if (signingKeyId is null)
        {
            return;
        }

        var setting = options.SigningKeyId is null ? $"{Section}:Keys:0 (the signing key, as SigningKeyId is not set)" : $"{Section}:SigningKeyId '{signingKeyId}'";
        if (!signers.TryGetValue(signingKeyId, out var signs))
        {
            errors.Add($"{setting} names no key of {Section}:Keys.");
        }
        else if (!signs)
        {
            errors.Add($"{setting} must name a key that can sign: a private key (Pem) or an HS256 secret, not a public key.");
        }
    }
}
