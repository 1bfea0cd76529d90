namespace RxInfer.Models;

/// <summary>
/// The outcome of creating an instance: the instance, or why there is none with the contract's message. Made only by
/// <see cref="Created"/>, <see cref="ModelNotFound"/> and <see cref="InvalidRequest"/>; the default value has the status
/// <see cref="ModelInstanceCreationStatus.None"/> and no instance, so it never passes for a success.
/// </summary>
public readonly struct ModelInstanceCreation : IEquatable<ModelInstanceCreation>
{
    private ModelInstanceCreation(ModelInstanceCreationStatus status, ModelInstance? instance, string? error)
    {
        Status = status;
        Instance = instance;
        Error = error;
    }

    /// <summary>What happened.</summary>
    public ModelInstanceCreationStatus Status { get; }

    /// <summary>The new instance when <see cref="Status"/> is <see cref="ModelInstanceCreationStatus.Created"/>; otherwise <see langword="null"/>.</summary>
    public ModelInstance? Instance { get; }

    /// <summary>The exact message for the client when the instance was not created (the exact texts are in docs/protocol.md); otherwise <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>A created instance.</summary>
    /// <param name="instance">The instance.</param>
    /// <returns>The outcome.</returns>
    public static ModelInstanceCreation Created(ModelInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(ModelInstanceCreationStatus.Created, instance, null);
    }

    /// <summary>An unknown or forbidden model, with <c>The requested model name `NAME` could not be found</c> as the message.</summary>
    /// <param name="modelName">The name the caller asked for.</param>
    /// <returns>The outcome.</returns>
    public static ModelInstanceCreation ModelNotFound(string modelName) =>
        new(ModelInstanceCreationStatus.ModelNotFound, null, ModelErrors.ModelNotFound(modelName));

    /// <summary>A request that breaks a rule.</summary>
    /// <param name="error">The message for the client.</param>
    /// <returns>The outcome.</returns>
    public static ModelInstanceCreation InvalidRequest(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new(ModelInstanceCreationStatus.InvalidRequest, null, error);
    }

    /// <inheritdoc />
    public bool Equals(ModelInstanceCreation other) =>
        Status == other.Status && ReferenceEquals(Instance, other.Instance) && string.Equals(Error, other.Error, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ModelInstanceCreation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, Instance, Error);

    /// <summary>Whether two outcomes are the same.</summary>
    /// <param name="left">One outcome.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(ModelInstanceCreation left, ModelInstanceCreation right) => left.Equals(right);

    /// <summary>Whether two outcomes differ.</summary>
    /// <param name="left">One outcome.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ModelInstanceCreation left, ModelInstanceCreation right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Status == ModelInstanceCreationStatus.Created ? $"Created {Instance}" : $"{Status}: {Error}";
}
