using System.Text.Json;

namespace RxInfer.Models;

/// <summary>An episode of an instance as the store holds it at one moment: its parameters and its events. Immutable.</summary>
public sealed class ModelEpisode
{
    /// <summary>Creates an episode record (stores that rebuild episodes use this too).</summary>
    /// <param name="instanceId">The instance it belongs to.</param>
    /// <param name="name">The episode's name (any non-empty text).</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="parameters">The episode's parameters; copied.</param>
    /// <param name="events">The events, in event-id order.</param>
    public ModelEpisode(Guid instanceId, string name, DateTimeOffset createdAt, JsonElement parameters, IReadOnlyList<ModelEvent> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(events);
        if (parameters.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The parameters must be a JSON value.", nameof(parameters));
        }

        InstanceId = instanceId;
        Name = name;
        CreatedAt = createdAt;
        Parameters = parameters.Clone();
        Events = events;
    }

    /// <summary>The instance it belongs to.</summary>
    public Guid InstanceId { get; }

    /// <summary>The episode's name, unique among the instance's live episodes.</summary>
    public string Name { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The episode's parameters: its initial parameters until learning or a wipe changes them.</summary>
    public JsonElement Parameters { get; }

    /// <summary>The events, in event-id order (1, 2, ... since the episode was created or last wiped).</summary>
    public IReadOnlyList<ModelEvent> Events { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} of {InstanceId} ({Events.Count} events)";
}
