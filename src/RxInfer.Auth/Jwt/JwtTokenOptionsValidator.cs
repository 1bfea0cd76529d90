using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RxInfer.OptionsValidation;

namespace RxInfer.Auth;

/// <summary>
/// Checks at start the <see cref="JwtTokenOptions"/> rules a data annotation does not state (the one-value rules are
/// annotations, checked by <see cref="JwtTokenOptionsDataValidator"/>): the unbounded <see cref="JwtTokenOptions.MaxLifetime"/>,
/// the ephemeral key's environment, and the key ring. Every message names the property (<c>JwtTokenOptions.Keys[0].Pem</c>),
/// the configuration path too when the options were bound from configuration, and never a secret or a PEM. The keys are
/// read through <see cref="JwtKeyRingSource"/>, so the provider later gets the very ring checked here.
/// </summary>
/// <param name="keyRings">Reads and remembers the key ring.</param>
/// <param name="source">Where the options came from, for the wording of the messages.</param>
/// <param name="environment">The host's environment, when the host registers one: an ephemeral key is allowed in
/// <c>Development</c> only, and without an environment the host is not taken to be in development.</param>
internal sealed class JwtTokenOptionsValidator(JwtKeyRingSource keyRings, OptionsSource<JwtTokenOptions> source, IHostEnvironment? environment = null) : IValidateOptions<JwtTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{source.Name(nameof(options.MaxLifetime))} must be greater than zero (was {options.MaxLifetime}).");
        }

        if (options.Keys is not { Length: > 0 } && options.GenerateEphemeralKey && environment?.IsDevelopment() != true)
        {
            var where = environment is null ? "no host environment is registered" : $"this host's environment is '{environment.EnvironmentName}'";
            errors.Add($"{source.Name(nameof(options.GenerateEphemeralKey))} is allowed only in the Development environment ({where}): configure {source.Name(nameof(options.Keys))}.");
        }
        else
        {
            keyRings.Load(options, out var keyErrors);
            errors.AddRange(keyErrors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
