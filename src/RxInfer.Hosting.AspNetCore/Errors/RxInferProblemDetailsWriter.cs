using Microsoft.AspNetCore.Http;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Writes client errors (4xx) that reach <see cref="IProblemDetailsService"/> (status code pages, the exception
/// handler) in the contract's shape <c>{"error","message"}</c> instead of RFC 7807 problem details.
/// </summary>
internal sealed class RxInferProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.Response.StatusCode is >= 400 and < 500;

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
