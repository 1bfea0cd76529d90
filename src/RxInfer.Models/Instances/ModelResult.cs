namespace RxInfer.Models;

/// <summary>How an operation on an instance ended.</summary>
public enum ModelResultStatus
{
    /// <summary>It succeeded.</summary>
    Succeeded,

    /// <summary>The instance (or the episode, or the event) does not exist or belongs to someone else (HTTP 404); nothing changed.</summary>
    NotFound,

    /// <summary>The request breaks a rule or a limit, or the model's runtime failed (HTTP 400); nothing changed.</summary>
    Invalid,
}

/// <summary>The outcome of an operation on an instance that gives back nothing but success.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Error">The message for the client when it did not succeed (the exact texts are in docs/protocol.md); otherwise <see langword="null"/>.</param>
public readonly record struct ModelResult(ModelResultStatus Status, string? Error)
{
    /// <summary>Whether it succeeded.</summary>
    public bool Succeeded => Status == ModelResultStatus.Succeeded;
}

/// <summary>The outcome of an operation on an instance that gives back a value.</summary>
/// <typeparam name="T">The value.</typeparam>
/// <param name="Status">How it ended.</param>
/// <param name="Value">The value when it succeeded; otherwise the default.</param>
/// <param name="Error">The message for the client when it did not succeed (the exact texts are in docs/protocol.md); otherwise <see langword="null"/>.</param>
public readonly record struct ModelResult<T>(ModelResultStatus Status, T? Value, string? Error)
{
    /// <summary>Whether it succeeded (then <see cref="Value"/> holds the value).</summary>
    public bool Succeeded => Status == ModelResultStatus.Succeeded;
}

/// <summary>Shorthands for the services.</summary>
internal static class Outcome
{
    public static readonly ModelResult Done = new(ModelResultStatus.Succeeded, null);

    public static ModelResult<T> Success<T>(T value) => new(ModelResultStatus.Succeeded, value, null);

    public static ModelResult NotFound(string error) => new(ModelResultStatus.NotFound, error);

    public static ModelResult Invalid(string error) => new(ModelResultStatus.Invalid, error);

    public static ModelResult<T> As<T>(this ModelResult failure) => new(failure.Status, default, failure.Error);
}
