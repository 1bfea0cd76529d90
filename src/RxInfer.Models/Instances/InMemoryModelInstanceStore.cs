using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RxInfer.Models;

/// <summary>
/// The default store: instances, episodes and events in memory, lost when the process ends. Safe under concurrent
/// use; every operation completes synchronously and costs in proportion to the owner's own instances (or, for an
/// episode, its own events). Instance reads take no lock; adds and removals of instances take one store-wide lock,
/// so an owner's entry can be dropped with its last instance without losing a concurrent add; everything about one
/// instance (its episodes and events) takes that instance's own lock. JSON values are copied in, so the store never
/// holds on to a caller's document.
/// </summary>
internal sealed class InMemoryModelInstanceStore : IModelInstanceStore
{
    private readonly ConcurrentDictionary<Guid, Entry> _byId = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Entry>> _byOwner = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();
    private long _sequence;

    public ValueTask AddAsync(ModelInstance instance, JsonElement defaultParameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        CheckValue(defaultParameters, nameof(defaultParameters));
        cancellationToken.ThrowIfCancellationRequested();
        if (instance.CurrentEpisode != ModelInstance.DefaultEpisode)
        {
            throw new ArgumentException("A new instance starts in the default episode.", nameof(instance));
        }

        var episode = new Episode(ModelInstance.DefaultEpisode, instance.CreatedAt, Own(defaultParameters));
        lock (_writes)
        {
            var entry = new Entry(++_sequence, instance, episode);
            if (!_byId.TryAdd(instance.InstanceId, entry))
            {
                throw new InvalidOperationException($"An instance with id {instance.InstanceId} is stored already.");
            }

            _byOwner.GetOrAdd(instance.OwnerSubject, static _ => new ConcurrentDictionary<Guid, Entry>())
                .TryAdd(instance.InstanceId, entry);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ModelInstance?> GetAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Find(ownerSubject, instanceId)?.Instance);
    }

    public ValueTask<IReadOnlyList<ModelInstance>> ListAsync(string ownerSubject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_byOwner.TryGetValue(ownerSubject, out var instances))
        {
            return ValueTask.FromResult<IReadOnlyList<ModelInstance>>([]);
        }

        var entries = instances.Values.ToArray();
        Array.Sort(entries, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var result = new ModelInstance[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            result[i] = entries[i].Instance;
        }

        return ValueTask.FromResult<IReadOnlyList<ModelInstance>>(result);
    }

    public ValueTask<bool> RemoveAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        Entry? removed;
        lock (_writes)
        {
            if (!_byOwner.TryGetValue(ownerSubject, out var instances) || !instances.TryRemove(instanceId, out removed))
            {
                return ValueTask.FromResult(false);
            }

            _byId.TryRemove(instanceId, out _);
            if (instances.IsEmpty)
            {
                _byOwner.TryRemove(ownerSubject, out _);
            }
        }

        // A write that found the entry before it was removed either finished before this point or sees Removed.
        lock (removed.Gate)
        {
            removed.Removed = true;
            removed.Episodes.Clear();
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<IReadOnlyList<ModelEpisode>?> ListEpisodesAsync(string ownerSubject, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        if (Find(ownerSubject, instanceId) is not { } entry)
        {
            return ValueTask.FromResult<IReadOnlyList<ModelEpisode>?>(null);
        }

        lock (entry.Gate)
        {
            if (entry.Removed)
            {
                return ValueTask.FromResult<IReadOnlyList<ModelEpisode>?>(null);
            }

            var result = new ModelEpisode[entry.Episodes.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = entry.Episodes[i].Snapshot(instanceId);
            }

            return ValueTask.FromResult<IReadOnlyList<ModelEpisode>?>(result);
        }
    }

    public ValueTask<ModelEpisodeRead> GetEpisodeAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        if (Find(ownerSubject, instanceId) is not { } entry)
        {
            return ValueTask.FromResult(default(ModelEpisodeRead));
        }

        lock (entry.Gate)
        {
            if (entry.Removed)
            {
                return ValueTask.FromResult(default(ModelEpisodeRead));
            }

            var instance = entry.Instance;
            var episode = entry.FindEpisode(episodeName ?? instance.CurrentEpisode);
            return ValueTask.FromResult(new ModelEpisodeRead(instance, episode?.Snapshot(instanceId)));
        }
    }

    public ValueTask<ModelParametersRead> GetParametersAsync(string ownerSubject, Guid instanceId, string? episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        cancellationToken.ThrowIfCancellationRequested();
        if (Find(ownerSubject, instanceId) is not { } entry)
        {
            return ValueTask.FromResult(default(ModelParametersRead));
        }

        lock (entry.Gate)
        {
            if (entry.Removed)
            {
                return ValueTask.FromResult(default(ModelParametersRead));
            }

            var instance = entry.Instance;
            return ValueTask.FromResult(new ModelParametersRead(instance, entry.FindEpisode(episodeName ?? instance.CurrentEpisode)?.Parameters));
        }
    }

    public ValueTask<ModelStoreOutcome> AddEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, JsonElement parameters, DateTimeOffset createdAt, int maxEpisodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentException.ThrowIfNullOrEmpty(episodeName);
        CheckValue(parameters, nameof(parameters));
        cancellationToken.ThrowIfCancellationRequested();
        return Write(ownerSubject, instanceId, entry =>
        {
            if (entry.FindEpisode(episodeName) is not null)
            {
                return ModelStoreOutcome.EpisodeExists;
            }

            if (entry.Episodes.Count >= maxEpisodes)
            {
                return ModelStoreOutcome.LimitReached;
            }

            entry.Episodes.Add(new Episode(episodeName, createdAt, Own(parameters)));
            entry.Change(currentEpisode: episodeName);
            return ModelStoreOutcome.Done;
        });
    }

    public ValueTask<ModelStoreOutcome> RemoveEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        if (episodeName == ModelInstance.DefaultEpisode)
        {
            throw new ArgumentException("The default episode is never removed.", nameof(episodeName));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Write(ownerSubject, instanceId, entry =>
        {
            if (entry.FindEpisode(episodeName) is not { } episode)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            entry.Episodes.Remove(episode);
            entry.Change(currentEpisode: entry.Instance.CurrentEpisode == episodeName ? ModelInstance.DefaultEpisode : null);
            return ModelStoreOutcome.Done;
        });
    }

    public ValueTask<ModelStoreOutcome> ResetEpisodeAsync(string ownerSubject, Guid instanceId, string episodeName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        cancellationToken.ThrowIfCancellationRequested();
        return Write(ownerSubject, instanceId, entry =>
        {
            if (entry.FindEpisode(episodeName) is not { } episode)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            episode.Events.Clear();
            episode.Parameters = episode.InitialParameters;
            episode.Changed();
            entry.Change();
            return ModelStoreOutcome.Done;
        });
    }

    public ValueTask<ModelStoreOutcome> AppendEventsAsync(string ownerSubject, Guid instanceId, string episodeName, IReadOnlyList<ModelEvent> events, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();

        // Copy outside the lock: the values are the caller's, and copying them costs in proportion to their size.
        var owned = new ModelEvent[events.Count];
        for (var i = 0; i < owned.Length; i++)
        {
            owned[i] = OwnEvent(events[i] ?? throw new ArgumentException("An event is null.", nameof(events)));
        }

        return Write(ownerSubject, instanceId, entry =>
        {
            if (entry.FindEpisode(episodeName) is not { } episode)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            if ((long)episode.Events.Count + owned.Length > maxEvents)
            {
                return ModelStoreOutcome.LimitReached;
            }

            foreach (var item in owned)
            {
                episode.Events.Add(item with { EventId = episode.LastEventId + 1 });
            }

            episode.Changed();
            entry.Change();
            return ModelStoreOutcome.Done;
        });
    }

    public ValueTask<ModelStoreOutcome> SetEventMetadataAsync(string ownerSubject, Guid instanceId, string episodeName, long eventId, JsonElement metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        CheckValue(metadata, nameof(metadata));
        cancellationToken.ThrowIfCancellationRequested();
        var owned = Own(metadata);
        return Write(ownerSubject, instanceId, entry =>
        {
            if (entry.FindEpisode(episodeName) is not { } episode)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            var index = episode.IndexOf(eventId);
            if (index < 0)
            {
                return ModelStoreOutcome.EventNotFound;
            }

            episode.Events[index] = episode.Events[index] with { Metadata = owned };
            episode.Changed();
            entry.Change();
            return ModelStoreOutcome.Done;
        });
    }

    public ValueTask<ModelInferenceCommit> CommitInferenceAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, ModelEvent inferenceEvent, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(inferenceEvent);
        CheckValue(state, nameof(state));
        cancellationToken.ThrowIfCancellationRequested();
        var ownedState = Own(state);
        var ownedEvent = OwnEvent(inferenceEvent);
        if (Find(ownerSubject, instanceId) is not { } entry)
        {
            return ValueTask.FromResult(new ModelInferenceCommit(ModelStoreOutcome.InstanceNotFound, ModelStoreOutcome.InstanceNotFound, 0));
        }

        lock (entry.Gate)
        {
            if (entry.Removed)
            {
                return ValueTask.FromResult(new ModelInferenceCommit(ModelStoreOutcome.InstanceNotFound, ModelStoreOutcome.InstanceNotFound, 0));
            }

            if (entry.Instance.Version != expectedVersion)
            {
                return ValueTask.FromResult(new ModelInferenceCommit(ModelStoreOutcome.VersionConflict, ModelStoreOutcome.VersionConflict, 0));
            }

            var eventOutcome = ModelStoreOutcome.Done;
            long eventId = 0;
            if (entry.FindEpisode(episodeName) is not { } episode)
            {
                eventOutcome = ModelStoreOutcome.EpisodeNotFound;
            }
            else if (episode.Events.Count >= maxEvents)
            {
                eventOutcome = ModelStoreOutcome.LimitReached;
            }
            else
            {
                eventId = episode.LastEventId + 1;
                episode.Events.Add(ownedEvent with { EventId = eventId });
                episode.Changed();
            }

            entry.Change(state: ownedState);
            return ValueTask.FromResult(new ModelInferenceCommit(ModelStoreOutcome.Done, eventOutcome, eventId));
        }
    }

    public ValueTask<ModelStoreOutcome> CommitLearningAsync(string ownerSubject, Guid instanceId, long expectedVersion, JsonElement state, string episodeName, JsonElement parameters, IReadOnlyList<long> processedEventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerSubject);
        ArgumentNullException.ThrowIfNull(episodeName);
        ArgumentNullException.ThrowIfNull(processedEventIds);
        CheckValue(state, nameof(state));
        CheckValue(parameters, nameof(parameters));
        cancellationToken.ThrowIfCancellationRequested();
        var ownedState = Own(state);
        var ownedParameters = Own(parameters);
        return Write(ownerSubject, instanceId, entry =>
        {
            if (entry.Instance.Version != expectedVersion)
            {
                return ModelStoreOutcome.VersionConflict;
            }

            if (entry.FindEpisode(episodeName) is not { } episode)
            {
                return ModelStoreOutcome.EpisodeNotFound;
            }

            foreach (var id in processedEventIds)
            {
                var index = episode.IndexOf(id);
                if (index >= 0 && !episode.Events[index].Processed)
                {
                    episode.Events[index] = episode.Events[index] with { Processed = true };
                }
            }

            episode.Parameters = ownedParameters;
            episode.Changed();
            entry.Change(state: ownedState);
            return ModelStoreOutcome.Done;
        });
    }

    /// <summary>How many owners have at least one instance (for tests: owners leave with their last instance).</summary>
    internal int OwnerCount => _byOwner.Count;

    private Entry? Find(string ownerSubject, Guid instanceId) =>
        _byOwner.TryGetValue(ownerSubject, out var instances) && instances.TryGetValue(instanceId, out var entry) ? entry : null;

    private ValueTask<ModelStoreOutcome> Write(string ownerSubject, Guid instanceId, Func<Entry, ModelStoreOutcome> write)
    {
        if (Find(ownerSubject, instanceId) is not { } entry)
        {
            return ValueTask.FromResult(ModelStoreOutcome.InstanceNotFound);
        }

        lock (entry.Gate)
        {
            return ValueTask.FromResult(entry.Removed ? ModelStoreOutcome.InstanceNotFound : write(entry));
        }
    }

    private static void CheckValue(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The value must be a JSON value.", name);
        }
    }

    /// <summary>A compact copy of <paramref name="value"/> in a document of its own, so the store keeps exactly what it holds.</summary>
    private static JsonElement Own(JsonElement value)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
        return JsonElement.ParseValue(ref reader);
    }

    private static ModelEvent OwnEvent(ModelEvent value)
    {
        CheckValue(value.Data, "events");
        return value with { Data = Own(value.Data), Metadata = value.Metadata is { } metadata ? Own(metadata) : null };
    }

    private static ModelInstance Rebuild(ModelInstance instance, JsonElement state, string currentEpisode, long version) => new(
        instance.InstanceId,
        instance.ModelName,
        instance.OwnerSubject,
        instance.CreatedAt,
        instance.Description,
        instance.Arguments,
        state,
        currentEpisode,
        version);

    /// <summary>One instance with its episodes. <see cref="Instance"/> is read without the lock; everything else under <see cref="Gate"/>.</summary>
    private sealed class Entry(long sequence, ModelInstance instance, Episode defaultEpisode)
    {
        private volatile ModelInstance _instance = instance;

        public long Sequence { get; } = sequence;

        public Lock Gate { get; } = new();

        public ModelInstance Instance => _instance;

        public bool Removed { get; set; }

        /// <summary>The live episodes, in the order they were created; the default episode first.</summary>
        public List<Episode> Episodes { get; } = [defaultEpisode];

        public Episode? FindEpisode(string name)
        {
            foreach (var episode in Episodes)
            {
                if (string.Equals(episode.Name, name, StringComparison.Ordinal))
                {
                    return episode;
                }
            }

            return null;
        }

        /// <summary>Publishes a new snapshot of the instance with the next version (and a new state or current episode when given).</summary>
        public void Change(JsonElement? state = null, string? currentEpisode = null)
        {
            var current = _instance;
            _instance = Rebuild(current, state ?? current.State, currentEpisode ?? current.CurrentEpisode, current.Version + 1);
        }
    }

    private sealed class Episode(string name, DateTimeOffset createdAt, JsonElement initialParameters)
    {
        private ModelEpisode? _snapshot;

        public string Name { get; } = name;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public JsonElement InitialParameters { get; } = initialParameters;

        public JsonElement Parameters { get; set; } = initialParameters;

        public List<ModelEvent> Events { get; } = [];

        public long LastEventId => Events.Count == 0 ? 0 : Events[^1].EventId;

        /// <summary>The index of event <paramref name="eventId"/>, or -1. Ids run 1..n without gaps, so it is found at once.</summary>
        public int IndexOf(long eventId)
        {
            if (eventId < 1 || eventId > Events.Count)
            {
                return -1;
            }

            var index = (int)(eventId - 1);
            return Events[index].EventId == eventId ? index : Events.FindIndex(e => e.EventId == eventId);
        }

        public void Changed() => _snapshot = null;

        public ModelEpisode Snapshot(Guid instanceId) =>
            _snapshot ??= new ModelEpisode(instanceId, Name, CreatedAt, Parameters, Events.ToArray());
    }
}
