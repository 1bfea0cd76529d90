using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Turns <see cref="BadHttpRequestException"/> (bad input the framework noticed: a body over Kestrel's limit, a
/// model-binding failure) into the contract's 400 body instead of a 500 or an HTML page, and
/// <see cref="ServiceUnavailableException"/> (a store unreachable or a global cap reached) into the contract's 503
/// body with <c>Retry-After</c>. Other exceptions are left to the host.
/// </summary>
internal sealed class RxInferExceptionHandler(ILogger<RxInferExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        if (exception is ServiceUnavailableException unavailable)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(unavailable.RetryAfter.TotalSeconds));
            HostingLog.ServiceUnavailable(logger, unavailable.Message, seconds, unavailable.InnerException);
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await RxInferErrors.WriteAsync(httpContext.Response, StatusCodes.Status503ServiceUnavailable, unavailable.Message).ConfigureAwait(false);
            return true;
        }

        if (exception is not BadHttpRequestException bad)
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
