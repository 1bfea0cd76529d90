using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.Models;
using RxInfer.OptionsValidation;
using RxInfer.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts RxInfer's stores on PostgreSQL.</summary>
public static class PostgreSqlStoreBuilderExtensions
{
    /// <summary>
    /// Keeps access tokens (<see cref="IOpaqueTokenStore"/>), API keys (<see cref="IApiKeyStore"/>), JWT revocations
    /// (<see cref="IRevocationStore"/>) and model instances with their episodes and events (<see cref="IModelInstanceStore"/>,
    /// used when the host adds RxInfer.Models) in PostgreSQL instead of memory, so they survive restarts and are shared
    /// by every node on the same database. The connection string comes from <c>ConnectionStrings:RxInfer</c> of the host's
    /// configuration or from the overload that takes a configure action; the other settings from <c>RxInfer:PostgreSql</c>
    /// (<see cref="PostgreSqlStoreOptions"/>). The schema is migrated when the host starts. Calling it twice is harmless.
    /// </summary>
    /// <param name="builder">The auth builder.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddPostgreSqlStores(this RxInferAuthBuilder builder) => AddPostgreSqlStores(builder, configure: null);

    /// <summary>Like <see cref="AddPostgreSqlStores(RxInferAuthBuilder)"/>, then configures the options in code.</summary>
    /// <param name="builder">The auth builder.</param>
    /// <param name="configure">Configures the options after configuration, if given.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddPostgreSqlStores(this RxInferAuthBuilder builder, Action<PostgreSqlStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddPostgreSqlCore(services, configure);
        services.Replace(ServiceDescriptor.Singleton<IOpaqueTokenStore>(static sp => new PostgreSqlOpaqueTokenStore(
            sp.GetRequiredService<PostgreSqlDatabase>(),
            sp.GetRequiredService<LookupLimiter>(),
            sp.GetRequiredService<TimeProvider>(),
            "access_tokens",
            sp.GetRequiredService<RevocationFeed>(),
            sp.GetRequiredService<TokenHashCache>(),
            sp.GetRequiredService<CapacityEstimates>().AccessTokens)));
        services.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(static sp => new PostgreSqlOpaqueTokenStore(
            sp.GetRequiredService<PostgreSqlDatabase>(),
            sp.GetRequiredService<LookupLimiter>(),
            sp.GetRequiredService<TimeProvider>(),
            "api_keys")));
        services.Replace(ServiceDescriptor.Singleton<IRevocationStore, PostgreSqlRevocationStore>());
        services.Replace(ServiceDescriptor.Singleton<IModelInstanceStore>(static sp => new PostgreSqlModelInstanceStore(sp.GetRequiredService<PostgreSqlDatabase>(), sp.GetRequiredService<CapacityEstimates>().ModelInstances)));
        services.Replace(ServiceDescriptor.Singleton<IModelInstanceLockProvider>(static sp => new PostgreSqlInstanceLockProvider(sp.GetRequiredService<PostgreSqlDatabase>())));
        return builder;
    }

    /// <summary>Like <see cref="AddPostgreSqlStores(RxInferAuthBuilder, Action{PostgreSqlStoreOptions}?)"/>, with the connection string given in code.</summary>
    /// <param name="builder">The auth builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static RxInferAuthBuilder AddPostgreSqlStores(this RxInferAuthBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return AddPostgreSqlStores(builder, options => options.ConnectionString = connectionString);
    }

    /// <summary>The data source, options, migrations, feed and sweep that every PostgreSQL store shares (registered once).</summary>
    private static void AddPostgreSqlCore(IServiceCollection services, Action<PostgreSqlStoreOptions>? configure)
    {
        if (!services.Any(static d => d.ServiceType == typeof(PostgreSqlDatabase)))
        {
            services.AddOptions<PostgreSqlStoreOptions>().ValidateOnStart();
            services.AddSingleton<IConfigureOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsSetup>();
            services.TryAddSingleton(static sp => sp.GetService<IConfiguration>() is { } configuration // bound by PostgreSqlStoreOptionsSetup
                ? OptionsSource<PostgreSqlStoreOptions>.BoundFrom(configuration.GetSection(PostgreSqlStoreOptions.ConfigurationSection))
                : OptionsSource<PostgreSqlStoreOptions>.Code);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, AnnotatedOptionsValidator<PostgreSqlStoreOptions>>(
                static sp => new(new PostgreSqlStoreOptionsDataValidator(), sp.GetService<OptionsSource<PostgreSqlStoreOptions>>())));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<PostgreSqlDatabase>();
            services.AddSingleton<LookupLimiter>();
            services.AddSingleton(static sp => new TokenHashCache(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.TokenCacheSize));
            services.AddSingleton<LocalRevocations>();
            services.AddSingleton<RevocationFeed>();
            services.AddSingleton<PostgreSqlMigrator>();
            services.AddSingleton<PostgreSqlSweeper>();
            services.AddSingleton<CapacityEstimates>();
            services.AddHostedService<PostgreSqlStoreService>();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }
    }
}
