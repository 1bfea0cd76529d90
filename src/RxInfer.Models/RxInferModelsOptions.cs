using System.ComponentModel.DataAnnotations;

namespace RxInfer.Models;

/// <summary>Options of the model catalogue and instances. Bound from <c>RxInfer:Models</c> in the sample host.</summary>
public sealed class RxInferModelsOptions
{
    /// <summary>
    /// Folders of model configurations, read in order after the sources added on the builder: every immediate
    /// subfolder with a <c>config.yaml</c> (or <c>config.json</c>) is a model. Defaults to none.
    /// </summary>
#pragma warning disable CA1819 // An array binds from configuration by replacement; a list would append to the default.
    [Required(ErrorMessage = "{0} must be a list of folders (it may be empty).")]
    public string[] Locations { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>The longest instance description accepted, in characters (Unicode code points). Defaults to 128, as the original server.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDescriptionLength { get; set; } = 128;

    // Quotas and retention: applied by the instance service, so every instance store gets them (see README, "Quotas and retention").

    /// <summary>
    /// The most live instances one subject (token owner) may keep; creating one more is a 400. <c>0</c> means no limit.
    /// Defaults to 100.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxInstancesPerSubject { get; set; } = 100;

    /// <summary>
    /// The most bytes one instance may keep: its arguments and its state together, each measured as compact UTF-8
    /// JSON. Creating a larger one, and an inference or learning call whose new state would pass it, is a 400 that
    /// stores nothing. (Episodes and events have limits of their own below.) <c>0</c> means no limit. Defaults to
    /// 65536 (64 KiB).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxInstanceSize { get; set; } = 64 * 1024;

    /// <summary>
    /// The most live instances the instance store keeps for all subjects together (per process for the in-memory
    /// store, per database for a shared one). Creating one more is a 503 with <c>Retry-After</c> and a warning log.
    /// <c>0</c> means no limit. Defaults to 10,000.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxInstances { get; set; } = 10_000;

    /// <summary>
    /// How long a subject's instances are kept after the expiry of the latest-expiring token it used for an operation on
    /// its instances (instances, episodes, events, inference, learning); then the retention sweep deletes them with
    /// their episodes and events. A token that never expires keeps them. Must not be negative. Defaults to 30 days.
    /// </summary>
    public TimeSpan InstanceRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The shortest time between two retention sweeps; a sweep runs on the first instance operation after it is due.
    /// Must be greater than zero. Defaults to 1 hour.
    /// </summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    // Runtimes, episodes and events (docs/protocol.md, part 2, "Limits").

    /// <summary>
    /// The longest a runtime call (initial state, initial parameters, inference, learning) may take; a call that takes
    /// longer is abandoned, answered as a failed call, and changes nothing. Defaults to 30 seconds; at most 24 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "24.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan RuntimeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most events one attach-events call may carry. Defaults to 1000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEventsPerAttach { get; set; } = 1000;

    /// <summary>
    /// The most events an episode may hold. An attach-events call that would pass it is refused whole; an inference
    /// whose episode is full still runs, and its event is not recorded. Defaults to 10000.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxEventsPerEpisode { get; set; } = 10_000;

    /// <summary>The most live episodes an instance may have, its default episode included. Defaults to 100.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEpisodesPerInstance { get; set; } = 100;

    /// <summary>The largest <c>data</c> of an event (from inference or attach-events), in bytes of its JSON text. Defaults to 32768 (32 KiB).</summary>
    [Range(1, int.MaxValue)]
    public int MaxEventDataSize { get; set; } = 32 * 1024;

    /// <summary>The largest <c>metadata</c> of an event, in bytes of its JSON text. Defaults to 8192 (8 KiB).</summary>
    [Range(1, int.MaxValue)]
    public int MaxEventMetadataSize { get; set; } = 8 * 1024;
}
