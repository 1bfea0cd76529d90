using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// Model instances, always scoped to their owner: every operation sees only the instances the caller's subject
/// created, and another owner's instance behaves exactly as a missing one.
/// </summary>
public interface IModelInstanceService
{
    /// <summary>
    /// Creates an instance of <paramref name="modelName"/>. The request is checked first (<paramref name="arguments"/>
    /// must be a JSON object when given; <paramref name="description"/> at most <see cref="RxInferModelsOptions.MaxDescriptionLength"/>
    /// characters), then the model is looked up under the role rule, then the arguments are merged (the model's
    /// declared defaults first, the caller's values over them, undeclared keys kept) and every required argument
    /// must be present in the result.
    /// </summary>
    /// <param name="caller">Who is asking; the instance belongs to its subject.</param>
    /// <param name="modelName">The model's name.</param>
    /// <param name="arguments">The caller's arguments: <see langword="null"/> (or an undefined element) when absent; anything else, JSON <c>null</c> included, must be an object.</param>
    /// <param name="description">The caller's description, or <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instance, or why there is none with the message for the client.</returns>
    ValueTask<ModelInstanceCreation> CreateAsync(ModelCaller caller, string modelName, JsonElement? arguments, string? description, CancellationToken cancellationToken = default);

    /// <summary>The caller's live instances, oldest first.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instances; empty when there are none.</returns>
    ValueTask<IReadOnlyList<ModelInstance>> ListAsync(ModelCaller caller, CancellationToken cancellationToken = default);

    /// <summary>One of the caller's instances.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The instance, or <see langword="null"/> when it does not exist, was deleted, or belongs to someone else.</returns>
    ValueTask<ModelInstance?> GetAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>The state of one of the caller's instances.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state, or <see langword="null"/> when the instance does not exist, was deleted, or belongs to someone else.</returns>
    ValueTask<JsonElement?> GetStateAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>Deletes one of the caller's instances.</summary>
    /// <param name="caller">Who is asking.</param>
    /// <param name="instanceId">The instance's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when it does not exist, was deleted before, or belongs to someone else.</returns>
    ValueTask<bool> DeleteAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default);
}
