namespace RxInfer.Models;

/// <summary>Shorthands for the services.</summary>
internal static class Outcome
{
    public static readonly ModelResult Done = new(ModelResultStatus.Succeeded, null);

    public static ModelResult<T> Success<T>(T value) => new(ModelResultStatus.Succeeded, value, null);

    public static ModelResult NotFound(string error) => new(ModelResultStatus.NotFound, error);

    public static ModelResult Invalid(string error) => new(ModelResultStatus.Invalid, error);

    public static ModelResult<T> As<T>(this ModelResult failure) => new(failure.Status, default, failure.Error);
}
