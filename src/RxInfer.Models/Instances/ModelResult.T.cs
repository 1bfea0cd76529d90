namespace RxInfer.Models;

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
