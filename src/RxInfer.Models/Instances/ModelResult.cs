namespace RxInfer.Models;

/// <summary>The outcome of an operation on an instance that gives back nothing but success.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Error">The message for the client when it did not succeed (the exact texts are in docs/protocol.md); otherwise <see langword="null"/>.</param>
public readonly record struct ModelResult(ModelResultStatus Status, string? Error)
{
    /// <summary>Whether it succeeded.</summary>
    public bool Succeeded => Status == ModelResultStatus.Succeeded;
}
