using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RxInfer.Models;

/// <summary>
/// Configures the model catalogue and instances after <c>services.AddRxInferModels(...)</c>: models from code and
/// folders, the model runtime and the instance store. Models are catalogued in the order they are added here,
/// followed by the folders of <see cref="RxInferModelsOptions.Locations"/>; a duplicate name keeps the first.
/// </summary>
public sealed class RxInferModelsBuilder
{
    internal RxInferModelsBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a model defined in code.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The builder.</returns>
    public RxInferModelsBuilder AddModel(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Services.AddSingleton(new ModelSource(model, directory: null));
        return this;
    }

    /// <summary>
    /// Adds the models of a folder in the RxInferServer layout: every immediate subfolder with a <c>config.yaml</c>
    /// (or <c>config.json</c>), in ordinal name order. The folder is read when the catalogue is first used; a
    /// missing folder is a warning and an invalid configuration is logged and skipped.
    /// </summary>
    /// <param name="path">The folder.</param>
    /// <returns>The builder.</returns>
    public RxInferModelsBuilder AddModelsFromDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Services.AddSingleton(new ModelSource(model: null, path));
        return this;
    }

    /// <summary>Replaces the model runtime (by default a new instance's state is its merged arguments).</summary>
    /// <typeparam name="TRuntime">The runtime, registered as a singleton.</typeparam>
    /// <returns>The builder.</returns>
    public RxInferModelsBuilder AddModelRuntime<TRuntime>()
        where TRuntime : class, IModelRuntime
    {
        Services.Replace(ServiceDescriptor.Singleton<IModelRuntime, TRuntime>());
        return this;
    }

    /// <summary>Replaces the instance store (by default in memory).</summary>
    /// <typeparam name="TStore">The store, registered as a singleton.</typeparam>
    /// <returns>The builder.</returns>
    public RxInferModelsBuilder AddInstanceStore<TStore>()
        where TStore : class, IModelInstanceStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IModelInstanceStore, TStore>());
        return this;
    }
}

/// <summary>One source of the catalogue, registered in order: a model from code or a folder.</summary>
internal sealed class ModelSource(ModelDefinition? model, string? directory)
{
    public ModelDefinition? Model { get; } = model;

    public string? Directory { get; } = directory;
}
