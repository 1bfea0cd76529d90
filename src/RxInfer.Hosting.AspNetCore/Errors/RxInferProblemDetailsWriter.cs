using Microsoft.AspNetCore.Http;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Writes the errors that reach <see cref="IProblemDetailsService"/> (status code pages, the exception handler) in the
/// contract's shape <c>{"error","message"}</c>, for the adapter's requests only (<see cref="RxInferRouteScope"/>): its
/// endpoints, and unknown paths under its prefix. Every other request, the host's own endpoints included, is left
/// to the next writer (RFC 7807 problem details by default). Registered ahead of the other writers, so the adapter's
/// bodies do not depend on whether the host called <c>AddProblemDetails()</c> before or after it.
/// </summary>
internal sealed class RxInferProblemDetailsWriter(RxInferRouteScope scope) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.Response.StatusCode >= 400 && scope.Covers(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var message = context.ProblemDetails.Detail
            ?? (status == StatusCodes.Status404NotFound ? RxInferErrors.ResourceNotFound : null)
            ?? context.ProblemDetails.Title
            ?? RxInferErrors.ErrorName(status);
        return new(RxInferErrors.WriteAsync(context.HttpContext.Response, status, message));
    }
}
