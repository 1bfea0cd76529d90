namespace RxInfer.Models;

/// <summary>The messages clients see, exact where docs/protocol.md ("Creating an instance", "Ownership") says so.</summary>
public static class ModelErrors
{
    /// <summary>The exact message for an unknown or forbidden instance, for get, state and delete alike.</summary>
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
}
