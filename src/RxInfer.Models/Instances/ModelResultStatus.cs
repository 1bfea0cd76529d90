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
