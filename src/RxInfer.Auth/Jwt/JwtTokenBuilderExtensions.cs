using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.OptionsValidation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses signed JWTs as the access-token provider.</summary>
public static class JwtTokenBuilderExtensions
{
    /// <summary>
    /// Makes signed JWT access tokens (HS256, RS256 or ES256, <c>typ: at+jwt</c>) the access-token provider,
    /// replacing a provider chosen before. Options bind from the <c>Jwt</c> sub-section of the configuration given to
    /// <c>AddRxInferAuth</c>, then <paramref name="configure"/> applies; they are validated at start. Revocations go
    /// to an <see cref="IRevocationStore"/> (in memory unless one is registered). Calling it twice is harmless.
    /// </summary>
    /// <param name="builder">The auth builder.</param>
    /// <param name="configure">Configures the JWT options, if given.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddJwtTokens(this RxInferAuthBuilder builder, Action<JwtTokenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<JwtTokenOptions>().ValidateOnStart();
        builder.Bind<JwtTokenOptions>("Jwt");
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(OptionsSource<JwtTokenOptions>.Code); // unless bound above: messages then name the property only
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtTokenOptions>, AnnotatedOptionsValidator<JwtTokenOptions>>(
            static sp => new(new JwtTokenOptionsDataValidator(), sp.GetService<OptionsSource<JwtTokenOptions>>())));
        services.TryAddSingleton<JwtKeyRingSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtTokenOptions>, JwtTokenOptionsValidator>());
        services.TryAddSingleton<IRevocationStore, InMemoryRevocationStore>();
        services.Replace(ServiceDescriptor.Singleton<ITokenProvider, JwtTokenProvider>());
        services.TryAddSingleton(static sp => new JwtKeyPublication(sp.GetRequiredService<IOptions<JwtTokenOptions>>(), sp.GetRequiredService<JwtKeyRingSource>()));
        return builder;
    }
}
