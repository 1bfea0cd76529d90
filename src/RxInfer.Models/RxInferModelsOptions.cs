namespace RxInfer.Models;

/// <summary>Options of the model catalogue and instances. Bound from <c>RxInfer:Models</c> in the sample host.</summary>
public sealed class RxInferModelsOptions
{
    /// <summary>
    /// Folders of model configurations, read in order after the sources added on the builder: every immediate
    /// subfolder with a <c>config.yaml</c> (or <c>config.json</c>) is a model. Defaults to none.
    /// </summary>
#pragma warning disable CA1819 // An array binds from configuration by replacement; a list would append to the default.
    public string[] Locations { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>The longest instance description accepted, in characters (Unicode code points). Defaults to 128, as the original server.</summary>
    public int MaxDescriptionLength { get; set; } = 128;

    /// <summary>
    /// The longest a runtime call (initial state, initial parameters, inference, learning) may take; a call that takes
    /// longer is abandoned, answered as a failed call, and changes nothing. Defaults to 30 seconds; at most 24 days.
    /// </summary>
    public TimeSpan RuntimeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most events one attach-events call may carry. Defaults to 1000.</summary>
    public int MaxEventsPerAttach { get; set; } = 1000;

    /// <summary>
    /// The most events an episode may hold. An attach-events call that would pass it is refused whole; an inference
    /// whose episode is full still runs, and its event is not recorded. Defaults to 10000.
    /// </summary>
    public int MaxEventsPerEpisode { get; set; } = 10_000;

    /// <summary>The most live episodes an instance may have, its default episode included. Defaults to 100.</summary>
    public int MaxEpisodesPerInstance { get; set; } = 100;

    /// <summary>The largest <c>data</c> of an event (from inference or attach-events), in bytes of its JSON text. Defaults to 32768 (32 KiB).</summary>
    public int MaxEventDataSize { get; set; } = 32 * 1024;

    /// <summary>The largest <c>metadata</c> of an event, in bytes of its JSON text. Defaults to 8192 (8 KiB).</summary>
    public int MaxEventMetadataSize { get; set; } = 8 * 1024;
}
