using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>
/// Checks <see cref="JwtTokenOptions"/> at start, with messages that name the setting (never a secret). The keys are
/// read through <see cref="JwtKeyRingSource"/>, so the provider later gets the very ring checked here.
/// </summary>
/// <param name="keyRings">Reads and remembers the key ring.</param>
/// <param name="environment">The host's environment, when the host registers one: an ephemeral key is allowed in
/// <c>Development</c> only, and without an environment the host is not taken to be in development.</param>
internal sealed class JwtTokenOptionsValidator(JwtKeyRingSource keyRings, IHostEnvironment? environment = null) : IValidateOptions<JwtTokenOptions>
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

        if (options.Keys is not { Length: > 0 } && options.GenerateEphemeralKey && environment?.IsDevelopment() != true)
        {
            var where = environment is null ? "no host environment is registered" : $"this host's environment is '{environment.EnvironmentName}'";
            errors.Add($"{Section}:GenerateEphemeralKey is allowed only in the Development environment ({where}): configure {Section}:Keys.");
        }
        else
        {
            keyRings.Load(options, out var keyErrors);
            errors.AddRange(keyErrors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
