using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.OptionsValidation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RxInfer authentication.</summary>
public static class RxInferAuthServiceCollectionExtensions
{
    /// <summary>
    /// Adds token issuing, validation, revocation, role resolution and the token exchange, with the opaque
    /// in-memory provider until another is chosen on the returned builder.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to choose the provider and the rest.</returns>
    public static RxInferAuthBuilder AddRxInferAuth(this IServiceCollection services) =>
        AddRxInferAuth(services, configuration: null, configure: null);

    /// <summary>Adds RxInfer authentication, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the shared options.</param>
    /// <returns>A builder to choose the provider and the rest.</returns>
    public static RxInferAuthBuilder AddRxInferAuth(this IServiceCollection services, Action<RxInferAuthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddRxInferAuth(services, configuration: null, configure);
    }

    /// <summary>
    /// Adds RxInfer authentication, bound from configuration (usually the <c>RxInfer:Auth</c> section): the
    /// section itself binds <see cref="RxInferAuthOptions"/>, and its sub-sections <c>Opaque</c>, <c>Jwt</c>,
    /// <c>ApiKeys</c> and <c>DevelopmentToken</c> the options of those features.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <param name="configure">Configures the shared options after binding, if given.</param>
    /// <returns>A builder to choose the provider and the rest.</returns>
    public static RxInferAuthBuilder AddRxInferAuth(this IServiceCollection services, IConfiguration? configuration, Action<RxInferAuthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new RxInferAuthBuilder(services, configuration);

        // What the services below take, so the registration stands on its own (each of these only adds what is missing).
        services.AddLogging();
        services.AddOptions();
        services.AddMetrics();

        services.AddOptions<RxInferAuthOptions>().ValidateOnStart();
        services.AddOptions<OpaqueTokenOptions>().ValidateOnStart();
        services.AddOptions<ApiKeyOptions>().ValidateOnStart();
        services.AddOptions<DevelopmentTokenOptions>();
        builder.Bind<RxInferAuthOptions>("");
        builder.Bind<OpaqueTokenOptions>("Opaque");
        builder.Bind<ApiKeyOptions>("ApiKeys");
        builder.Bind<DevelopmentTokenOptions>("DevelopmentToken");
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<RxInferAuthOptions>, DefaultRolesWhenNoneConfigured>());
        services.TryAddSingleton(OptionsSource<RxInferAuthOptions>.Code); // unless bound above: messages then name the property only
        services.TryAddSingleton(OptionsSource<OpaqueTokenOptions>.Code);
        services.TryAddSingleton(OptionsSource<ApiKeyOptions>.Code);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpaqueTokenOptions>, AnnotatedOptionsValidator<OpaqueTokenOptions>>(
            static sp => new(new OpaqueTokenOptionsDataValidator(), sp.GetService<OptionsSource<OpaqueTokenOptions>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RxInferAuthOptions>, RxInferAuthOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpaqueTokenOptions>, RxInferAuthOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, RxInferAuthOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RxInferAuthMetrics>();
        services.TryAddSingleton<IOpaqueTokenStore, InMemoryOpaqueTokenStore>();
        services.TryAddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
        services.TryAddSingleton<ITokenProvider>(CreateOpaqueProvider);
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<ITokenIssuer>(static sp => sp.GetRequiredService<TokenService>());
        services.TryAddSingleton<ITokenValidator>(static sp => sp.GetRequiredService<TokenService>());
        services.TryAddSingleton<ITokenRevoker>(static sp => sp.GetRequiredService<TokenService>());
        services.TryAddSingleton<IRoleResolver, TokenRoleResolver>();
        services.TryAddSingleton<ICredentialValidator, NoCredentialValidator>();
        services.TryAddSingleton<IApiKeyService, ApiKeyService>();
        services.TryAddSingleton<ITokenExchange, TokenExchange>();
        return builder;
    }

    /// <summary>
    /// Makes opaque tokens (<c>rxi_...</c>) in an <see cref="IOpaqueTokenStore"/> the access-token provider
    /// (the default). Replaces a provider chosen before.
    /// </summary>
    /// <param name="builder">The auth builder.</param>
    /// <param name="configure">Configures the provider, if given.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddOpaqueTokens(this RxInferAuthBuilder builder, Action<OpaqueTokenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<ITokenProvider>(CreateOpaqueProvider));
        return builder;
    }

    /// <summary>Enables the development token (<c>dev-token</c>, <c>dev-token:r1,r2</c>). Never in production.</summary>
    /// <param name="builder">The auth builder.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddDevelopmentToken(this RxInferAuthBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<DevelopmentTokenOptions>(static options => options.Enabled = true);
        return builder;
    }

    /// <summary>Configures API keys (prefix, lifetime, keys known from configuration).</summary>
    /// <param name="builder">The auth builder.</param>
    /// <param name="configure">Configures the API key options.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddApiKeys(this RxInferAuthBuilder builder, Action<ApiKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Replaces the role resolver (by default the roles the token carries) with <typeparamref name="TResolver"/>.</summary>
    /// <typeparam name="TResolver">The resolver, registered as a singleton.</typeparam>
    /// <param name="builder">The auth builder.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddRoleResolver<TResolver>(this RxInferAuthBuilder builder)
        where TResolver : class, IRoleResolver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IRoleResolver, TResolver>());
        return builder;
    }

    /// <summary>Sets the validator of user credentials (HTTP Basic at <c>POST /token/generate</c>).</summary>
    /// <typeparam name="TValidator">The validator, registered as a singleton.</typeparam>
    /// <param name="builder">The auth builder.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddCredentialValidator<TValidator>(this RxInferAuthBuilder builder)
        where TValidator : class, ICredentialValidator
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ICredentialValidator, TValidator>());
        return builder;
    }

    private sealed class DefaultRolesWhenNoneConfigured : IPostConfigureOptions<RxInferAuthOptions>
    {
        public void PostConfigure(string? name, RxInferAuthOptions options)
        {
            if (options.DefaultRoles is { Count: 0 })
            {
                options.DefaultRoles.Add(RxInferAuthDefaults.DefaultRole);
            }
        }
    }

    private static OpaqueTokenProvider CreateOpaqueProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<OpaqueTokenOptions>>().Value;
        return new(
            services.GetRequiredService<IOpaqueTokenStore>(),
            new OpaqueTokenFormat(options.Prefix),
            TokenKind.AccessToken,
            services.GetRequiredService<IOptions<RxInferAuthOptions>>().Value.AccessTokenLifetime,
            services.GetRequiredService<TimeProvider>(),
            options.MaxTokens,
            services.GetService<ILogger<OpaqueTokenProvider>>());
    }
}
