using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Models;

/// <summary>
/// Finds the runtime of a model: the <see cref="IModelRuntime"/> registered under the model's name (a keyed
/// singleton, see <see cref="RxInferModelsBuilder.AddModelRuntime(string, IModelRuntime)"/>), or none.
/// </summary>
internal sealed class ModelRuntimes(IServiceProvider services)
{
    /// <summary>The runtime registered for <paramref name="modelName"/>, or <see langword="null"/> when the model has none.</summary>
    public IModelRuntime? Find(string modelName) => services.GetKeyedService<IModelRuntime>(modelName);

    /// <summary>The initial state of a new instance: the runtime's, or the merged arguments when the model has no runtime.</summary>
    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        Find(model.Name) is { } runtime ? runtime.CreateInitialStateAsync(model, arguments, cancellationToken) : ValueTask.FromResult(arguments);

    /// <summary>The initial parameters of a new episode: the runtime's, or the merged arguments when the model has no runtime.</summary>
    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        Find(model.Name) is { } runtime ? runtime.CreateInitialParametersAsync(model, arguments, cancellationToken) : ValueTask.FromResult(arguments);
}
