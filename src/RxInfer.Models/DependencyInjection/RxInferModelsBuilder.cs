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

    /// <summary>
    /// Registers the runtime of the model named <paramref name="modelName"/> (a model from code or from a folder alike).
    /// A model without a runtime uses the default: its state and parameters are the merged arguments, and inference and
    /// learning are refused with a clear error. A second registration for the same name replaces the first.
    /// </summary>
    /// <param name="modelName">The model's name, exactly as in its configuration (case-sensitive).</param>
    /// <param name="runtime">The runtime; one instance serves every instance of the model, so it must be thread-safe.</param>
    /// <returns>The builder.</returns>
    public RxInferModelsBuilder AddModelRuntime(string modelName, IModelRuntime runtime)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentNullException.ThrowIfNull(runtime);
        Services.RemoveAllKeyed<IModelRuntime>(modelName);
        Services.AddKeyedSingleton(modelName, runtime);
        return this;
    }

    /// <summary>
    /// Registers the runtime of the model named <paramref name="modelName"/>, created by dependency injection as a
    /// singleton. See <see cref="AddModelRuntime(string, IModelRuntime)"/>.
    /// </summary>
    /// <typeparam name="TRuntime">The runtime; one instance serves every instance of the model, so it must be thread-safe.</typeparam>
    /// <param name="modelName">The model's name, exactly as in its configuration (case-sensitive).</param>
    /// <returns>The builder.</returns>
    public RxInferModelsBuilder AddModelRuntime<TRuntime>(string modelName)
        where TRuntime : class, IModelRuntime
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        Services.RemoveAllKeyed<IModelRuntime>(modelName);
        Services.AddKeyedSingleton<IModelRuntime, TRuntime>(modelName);
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
