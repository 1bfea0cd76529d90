namespace RxInfer.Models;

/// <summary>The outcome of <see cref="IModelInstanceService.CreateAsync"/>.</summary>
public enum ModelInstanceCreationStatus
{
    /// <summary>
    /// No outcome: the status of <c>default(ModelInstanceCreation)</c>, never returned by the service. Not a success:
    /// whoever meets it has a bug to fix (the HTTP endpoint answers 500).
    /// </summary>
    None,

    /// <summary>The instance was created; <see cref="ModelInstanceCreation.Instance"/> holds it.</summary>
    Created,

    /// <summary>The model does not exist or the caller may not see it (HTTP 404).</summary>
    ModelNotFound,

    /// <summary>The request breaks a rule: arguments not an object, a description too long, a required argument missing, a quota (instances per subject, stored size) reached (HTTP 400).</summary>
    InvalidRequest,
}
