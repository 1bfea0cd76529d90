using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.OptionsValidation;

namespace RxInfer.Auth;

/// <summary>
/// Configures RxInfer authentication after <c>services.AddRxInferAuth(...)</c>: the token provider
/// (<c>AddOpaqueTokens</c>, <c>AddJwtTokens</c>), the development token, API keys, role resolution and
/// credential validation. Every method may be called more than once.
/// </summary>
public sealed class RxInferAuthBuilder
{
    internal RxInferAuthBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <c>RxInfer:Auth</c> configuration section given to <c>AddRxInferAuth</c>, if any; providers bind their sub-sections from it.</summary>
    internal IConfiguration? Configuration { get; }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the sub-section <paramref name="section"/> (or from the section
    /// itself when <paramref name="section"/> is empty) when a configuration was given.
    /// </summary>
    /// <remarks>
    /// Binding appends to arrays, so each options type is bound once however often the registration runs.
    /// </remarks>
    internal void Bind<TOptions>(string section)
        where TOptions : class
    {
        if (Configuration is null || Services.Any(static d => d.ServiceType == typeof(ConfigurationBound<TOptions>)))
        {
            return;
        }

        Services.AddSingleton(new ConfigurationBound<TOptions>());
        var bound = section.Length == 0 ? Configuration : Configuration.GetSection(section);
        Services.Configure<TOptions>(bound);
        Services.AddSingleton(OptionsSource<TOptions>.BoundFrom(bound)); // validation messages name the configuration path
    }

    /// <summary>Marks <typeparamref name="TOptions"/> as bound from configuration.</summary>
    private sealed class ConfigurationBound<TOptions>;
}
