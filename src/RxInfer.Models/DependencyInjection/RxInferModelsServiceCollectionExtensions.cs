using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Models;
using RxInfer.OptionsValidation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the RxInfer model catalogue and model instances.</summary>
public static class RxInferModelsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the model catalogue (<see cref="IModelCatalog"/>), instances (<see cref="IModelInstanceService"/>), their
    /// episodes and events (<see cref="IModelEpisodeService"/>), inference and learning (<see cref="IModelInferenceService"/>)
    /// with the in-memory store, the default runtime and the default options.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add models and replace the store or runtime.</returns>
    public static RxInferModelsBuilder AddRxInferModels(this IServiceCollection services) =>
        AddRxInferModels(services, configuration: null, configure: null);

    /// <summary>Adds the model catalogue and instances (see <see cref="AddRxInferModels(IServiceCollection)"/>), configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options, if given.</param>
    /// <returns>A builder to add models and replace the store or runtime.</returns>
    public static RxInferModelsBuilder AddRxInferModels(this IServiceCollection services, Action<RxInferModelsOptions>? configure) =>
        AddRxInferModels(services, configuration: null, configure);

    /// <summary>Adds the model catalogue and instances, with <see cref="RxInferModelsOptions"/> bound from <paramref name="configuration"/> (usually the <c>RxInfer:Models</c> section).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>A builder to add models and replace the store or runtime.</returns>
    public static RxInferModelsBuilder AddRxInferModels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddRxInferModels(services, configuration, configure: null);
    }

    /// <summary>Adds the model catalogue and instances, bound from configuration and then configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section to bind, if any.</param>
    /// <param name="configure">Configures the options after binding, if given.</param>
    /// <returns>A builder to add models and replace the store or runtime.</returns>
    public static RxInferModelsBuilder AddRxInferModels(this IServiceCollection services, IConfiguration? configuration, Action<RxInferModelsOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging();
        services.AddOptions<RxInferModelsOptions>().ValidateOnStart();
        if (configuration is not null)
        {
            services.Configure<RxInferModelsOptions>(configuration);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(configuration is null ? OptionsSource<RxInferModelsOptions>.Code : OptionsSource<RxInferModelsOptions>.BoundFrom(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RxInferModelsOptions>, AnnotatedOptionsValidator<RxInferModelsOptions>>(
            static sp => new(new RxInferModelsOptionsDataValidator(), sp.GetService<OptionsSource<RxInferModelsOptions>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RxInferModelsOptions>, RxInferModelsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelCatalog>(CreateCatalog);
        services.TryAddSingleton<IModelInstanceStore, InMemoryModelInstanceStore>();
        services.TryAddSingleton(static sp => new ModelRuntimes(
            sp,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<RxInferModelsOptions>>(),
            Logger<ModelRuntimes>(sp)));
        services.TryAddSingleton(static sp => new InstanceLocks(sp.GetService<IModelInstanceLockProvider>()));
        services.TryAddSingleton(static sp => new InstanceRetention(
            sp.GetRequiredService<IModelInstanceStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<RxInferModelsOptions>>().Value,
            Logger<InstanceRetention>(sp)));
        services.TryAddSingleton<IModelInstanceService, ModelInstanceService>();
        services.TryAddSingleton<IModelEpisodeService, ModelEpisodeService>();
        services.TryAddSingleton<IModelInferenceService, ModelInferenceService>();
        return new RxInferModelsBuilder(services);
    }

    private static ILogger<T> Logger<T>(IServiceProvider services) => services.GetRequiredService<ILogger<T>>();

    private static ModelCatalog CreateCatalog(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RxInferModelsOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<ModelCatalog>>();
        var entries = new List<(ModelDefinition, string)>();
        foreach (var source in services.GetServices<ModelSource>())
        {
            if (source.Model is { } model)
            {
                entries.Add((model, "code"));
            }
            else
            {
                AddDirectory(entries, source.Directory!, logger);
            }
        }

        foreach (var location in options.Locations)
        {
            AddDirectory(entries, location, logger);
        }

        return new ModelCatalog(entries, logger);
    }

    private static void AddDirectory(List<(ModelDefinition, string)> entries, string location, ILogger logger)
    {
        entries.AddRange(ModelConfigurationLoader.LoadDirectory(location, logger));
    }
}
