namespace RxInfer.Models;

/// <summary>The messages clients see, exact where docs/protocol.md ("Creating an instance", "Ownership") says so.</summary>
internal static class ModelErrors
{
    /// <summary>
    /// The exact message for an unknown or forbidden instance, for get, state, delete, parameters, inference, learning,
    /// episodes, episode info and create-episode alike.
    /// </summary>
    public const string InstanceNotFound = "The requested model instance could not be found";

    /// <summary>The message for <c>arguments</c> that are present but not a JSON object.</summary>
    public const string ArgumentsNotObject = "model instance arguments must be a JSON object";

    /// <summary>The exact message for an unknown or forbidden model: <c>The requested model name `NAME` could not be found</c>.</summary>
    /// <param name="name">The name the caller asked for.</param>
    /// <returns>The message.</returns>
    public static string ModelNotFound(string name) => $"The requested model name `{name}` could not be found";

    /// <summary>The exact message for a required argument that is missing after the merge.</summary>
    /// <param name="name">The argument's name.</param>
    /// <returns>The message.</returns>
    public static string ArgumentRequired(string name) => $"model configuration validation error - model configuration argument {name} is required";

    /// <summary>The message for a description longer than the limit.</summary>
    /// <param name="max">The limit, in characters (Unicode code points).</param>
    /// <returns>The message.</returns>
    public static string DescriptionTooLong(int max) => $"model instance description must be at most {max} characters long";

    /// <summary>The message (HTTP 503) when the instance store holds <see cref="RxInferModelsOptions.MaxInstances"/> instances.</summary>
    public const string InstanceCapacityReached = "The server cannot store more model instances now, try again later";

    /// <summary>The message for a subject that holds <see cref="RxInferModelsOptions.MaxInstancesPerSubject"/> instances already.</summary>
    /// <param name="max">The limit.</param>
    /// <returns>The message.</returns>
    public static string TooManyInstances(int max) =>
        $"model instance limit reached: a token's owner may keep at most {max} model instances, delete one to create another";

    /// <summary>The message for an instance whose stored JSON is larger than <see cref="RxInferModelsOptions.MaxInstanceSize"/>.</summary>
    /// <param name="size">Its size, in bytes of compact UTF-8 JSON.</param>
    /// <param name="max">The limit, in the same bytes.</param>
    /// <returns>The message.</returns>
    public static string InstanceTooLarge(long size, long max) =>
        $"model instance is too large: its arguments and state take {size} bytes of JSON, more than the limit of {max} bytes";

    /// <summary>
    /// The message for an inference or learning call whose new state would make the instance larger than
    /// <see cref="RxInferModelsOptions.MaxInstanceSize"/>; the call stored nothing.
    /// </summary>
    /// <param name="operation"><c>inference</c> or <c>learning</c>.</param>
    /// <param name="size">The instance's arguments and new state, in bytes of compact UTF-8 JSON.</param>
    /// <param name="max">The limit, in the same bytes.</param>
    /// <returns>The message.</returns>
    public static string StateTooLarge(string operation, long size, long max) =>
        $"model instance would be too large after {operation}: its arguments and new state take {size} bytes of JSON, more than the limit of {max} bytes; nothing was stored";

    /// <summary>The exact message for an unknown or forbidden instance in delete-episode, wipe, attach-events and attach-metadata (the original server's wording).</summary>
    public const string ModelOfEpisodeNotFound = "The requested model could not be found";

    /// <summary>The exact message for an episode the instance does not have.</summary>
    public const string EpisodeNotFound = "The requested episode could not be found";

    /// <summary>The exact message of attach-metadata for an episode the instance does not have.</summary>
    public const string EpisodeOrEventNotFound = "The requested episode could not be found or the event with the specified ID does not exist";

    /// <summary>The exact message of attach-metadata for an event the episode does not have.</summary>
    public const string EventNotFound = "Unable to attach metadata to the event due to internal error";

    /// <summary>The exact message for creating an episode whose name a live episode uses.</summary>
    public const string EpisodeExists = "The requested episode already exists";

    /// <summary>The exact message for deleting the default episode.</summary>
    public const string DefaultEpisodeNotDeletable = "Default episode cannot be deleted, wipe data instead";

    /// <summary>The exact message for learning from more or fewer than one episode.</summary>
    public const string OneEpisodeAtATime = "Learning is supported only for one episode at a time";

    /// <summary>The exact message for an inference whose runtime failed, was cancelled or took too long.</summary>
    public const string InferenceFailed = "Unable to run inference due to internal error";

    /// <summary>The message for learning whose runtime failed, was cancelled or took too long.</summary>
    public const string LearningFailed = "Unable to run learning due to internal error";

    /// <summary>The message for an instance whose runtime failed to give its initial state or parameters.</summary>
    public const string InstanceCreationFailed = "Unable to create model instance due to internal error";

    /// <summary>The message for an episode whose runtime failed to give its initial parameters.</summary>
    public const string EpisodeCreationFailed = "Unable to create episode due to internal error";

    /// <summary>The exact message, in <c>errors</c>, for an inference whose event could not be recorded because its episode does not exist.</summary>
    public const string InferenceEventNotRecorded = "Unable to attach data to the episode due to internal error";

    /// <summary>The message for an episode name that is empty.</summary>
    public const string EpisodeNameEmpty = "The episode name must not be empty";

    /// <summary>The message for an episode name with the character U+0000, which no database keeps in text.</summary>
    public const string EpisodeNameHasNul = "The episode name must not contain the character U+0000";

    /// <summary>The message for an instance description with the character U+0000, which no database keeps in text.</summary>
    public const string DescriptionHasNul = "model instance description must not contain the character U+0000";

    /// <summary>The message for event data that is present but not a JSON object.</summary>
    public const string DataNotObject = "The event data must be a JSON object";

    /// <summary>The message for event metadata that is present but not a JSON object.</summary>
    public const string MetadataNotObject = "The event metadata must be a JSON object";

    /// <summary>The message for inference or learning on a model that has no runtime.</summary>
    /// <param name="modelName">The model's name.</param>
    /// <param name="operation"><c>inference</c> or <c>learning</c>.</param>
    /// <returns>The message.</returns>
    public static string NoRuntime(string modelName, string operation) =>
        $"The model `{modelName}` has no runtime, so {operation} is not available for its instances";

    /// <summary>The message for an instance whose model is no longer in the catalogue.</summary>
    /// <param name="modelName">The model's name.</param>
    /// <returns>The message.</returns>
    public static string ModelGone(string modelName) => $"The model `{modelName}` of this instance is no longer available";

    /// <summary>The message, in <c>errors</c>, for an inference whose event was not recorded because its episode is full.</summary>
    /// <param name="max">The limit of events per episode.</param>
    /// <returns>The message.</returns>
    public static string InferenceEventEpisodeFull(int max) =>
        $"The episode already holds the maximum of {max} events, so this inference was not recorded in it; wipe it or use another episode";

    /// <summary>The message for creating an episode beyond the limit of episodes per instance.</summary>
    /// <param name="max">The limit.</param>
    /// <returns>The message.</returns>
    public static string TooManyEpisodes(int max) => $"The model instance already has the maximum of {max} episodes; delete one first";

    /// <summary>The message for attaching events beyond the limit of events per episode.</summary>
    /// <param name="max">The limit.</param>
    /// <returns>The message.</returns>
    public static string TooManyEventsInEpisode(int max) => $"The episode would hold more than the maximum of {max} events; wipe it or use another episode";

    /// <summary>The message for an attach-events call with more events than allowed at once.</summary>
    /// <param name="max">The limit.</param>
    /// <returns>The message.</returns>
    public static string TooManyEventsInCall(int max) => $"At most {max} events may be attached in one call";

    /// <summary>The message for event data larger than allowed.</summary>
    /// <param name="max">The limit, in bytes.</param>
    /// <returns>The message.</returns>
    public static string DataTooLarge(int max) => $"The event data is larger than the limit of {max} bytes";

    /// <summary>The message for event metadata larger than allowed.</summary>
    /// <param name="max">The limit, in bytes.</param>
    /// <returns>The message.</returns>
    public static string MetadataTooLarge(int max) => $"The event metadata is larger than the limit of {max} bytes";
}
