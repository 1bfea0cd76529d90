using System.Text.Json;

namespace RxInfer.Models;

/// <summary>A model instance: created from a model by its owner, with its merged arguments and its state. Immutable.</summary>
public sealed class ModelInstance
{
    /// <summary>The episode every new instance starts in.</summary>
    public const string DefaultEpisode = "default";

    /// <summary>Creates an instance record (stores that rebuild instances use this too).</summary>
    /// <param name="instanceId">The instance's id.</param>
    /// <param name="modelName">The name of the model it was created from.</param>
    /// <param name="ownerSubject">The subject of the identity that created it.</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="description">The owner's description; <see langword="null"/> is kept as the empty string.</param>
    /// <param name="arguments">The merged arguments (a JSON object); copied.</param>
    /// <param name="state">The instance's state; copied.</param>
    /// <param name="currentEpisode">The current episode. Defaults to <see cref="DefaultEpisode"/>.</param>
    /// <param name="version">The store's version of the instance (see <see cref="Version"/>). Defaults to 0.</param>
    public ModelInstance(
        Guid instanceId,
        string modelName,
        string ownerSubject,
        DateTimeOffset createdAt,
        string? description,
        JsonElement arguments,
        JsonElement state,
        string currentEpisode = DefaultEpisode,
        long version = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentException.ThrowIfNullOrEmpty(ownerSubject);
        ArgumentException.ThrowIfNullOrEmpty(currentEpisode);
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The arguments must be a JSON object.", nameof(arguments));
        }

        if (state.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The state must be a JSON value.", nameof(state));
        }

        InstanceId = instanceId;
        ModelName = modelName;
        OwnerSubject = ownerSubject;
        CreatedAt = createdAt;
        Description = description ?? "";
        Arguments = arguments.Clone();
        State = state.Clone();
        CurrentEpisode = currentEpisode;
        Version = version;
    }

    /// <summary>The instance's id (a random UUID).</summary>
    public Guid InstanceId { get; }

    /// <summary>The name of the model it was created from.</summary>
    public string ModelName { get; }

    /// <summary>The subject of the identity that created it; only that subject can see it.</summary>
    public string OwnerSubject { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The owner's description; the empty string when none was given.</summary>
    public string Description { get; }

    /// <summary>The merged arguments: the model's declared defaults with the owner's values over them.</summary>
    public JsonElement Arguments { get; }

    /// <summary>The current episode; <see cref="DefaultEpisode"/> for a new instance.</summary>
    public string CurrentEpisode { get; }

    /// <summary>The instance's state, as the <see cref="IModelRuntime"/> made it.</summary>
    public JsonElement State { get; }

    /// <summary>
    /// The store's version of the instance: it changes with every write to the instance or to any of its episodes and
    /// events, so an inference or learning result computed from this snapshot is stored only if nothing changed in
    /// between (see <see cref="IModelInstanceStore.CommitInferenceAsync"/>).
    /// </summary>
    public long Version { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ModelName} {InstanceId}";
}
