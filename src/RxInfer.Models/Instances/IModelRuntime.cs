using System.Text.Json;

namespace RxInfer.Models;

/// <summary>The hook that runs models. For now it gives each new instance its initial state.</summary>
public interface IModelRuntime
{
    /// <summary>The initial state of a new instance of <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="arguments">The merged arguments (a JSON object).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state. The default runtime returns <paramref name="arguments"/>.</returns>
    ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken = default);
}

/// <summary>The default runtime: a new instance's state is its merged arguments.</summary>
internal sealed class ArgumentsStateModelRuntime : IModelRuntime
{
    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(arguments);
}
