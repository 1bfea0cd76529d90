using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// On the adapter's requests (<see cref="RxInferRouteScope"/>), turns <see cref="BadHttpRequestException"/> (bad input
/// the framework noticed: a body over Kestrel's limit, a model-binding failure) into the contract's 400 body instead of
/// a 500 or an HTML page. Turns <see cref="ServiceUnavailableException"/> (a store unreachable or a global cap reached;
/// also thrown while authenticating a request to one of the host's endpoints) into a 503 with <c>Retry-After</c>: the
/// contract's body on the adapter's requests, the host's problem details on the host's. Every other exception, and a
/// <see cref="BadHttpRequestException"/> of the host's own endpoints, is left to the host.
/// </summary>
internal sealed class RxInferExceptionHandler(RxInferRouteScope scope, ILogger<RxInferExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var ours = scope.Covers(httpContext);
        if (exception is ServiceUnavailableException unavailable)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(unavailable.RetryAfter.TotalSeconds));
            HostingLog.ServiceUnavailable(logger, unavailable.Message, seconds, unavailable.InnerException);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            if (!ours && httpContext.RequestServices.GetService(typeof(IProblemDetailsService)) is IProblemDetailsService problems
                && await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = httpContext,
                    Exception = exception,
                    ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Detail = unavailable.Message },
                }).ConfigureAwait(false))
            {
                return true;
            }

            await RxInferErrors.WriteAsync(httpContext.Response, StatusCodes.Status503ServiceUnavailable, unavailable.Message).ConfigureAwait(false);
            return true;
        }

        if (exception is not BadHttpRequestException bad || !ours)
        {
            return false;
        }

        // The contract has one status for every body problem: 400 (413 and friends become 400).
        var status = bad.StatusCode is >= 400 and < 500 and not StatusCodes.Status413PayloadTooLarge ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request could not be read: " + bad.Message.TrimEnd('.');
        HostingLog.BadRequest(logger, status, message);
        await RxInferErrors.WriteAsync(httpContext.Response, status, message).ConfigureAwait(false);
        return true;
    }
}
