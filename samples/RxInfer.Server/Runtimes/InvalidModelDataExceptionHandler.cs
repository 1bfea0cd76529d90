using Microsoft.AspNetCore.Diagnostics;

namespace RxInfer.Server.Runtimes;

/// <summary>
/// Answers an <see cref="InvalidModelDataException"/> that escapes an endpoint (a sample runtime refusing the arguments
/// of a new instance, for example <c>sampling_interval: 0</c>) with a 400 in the contract's error shape and the
/// exception's message, instead of a 500. Nothing was stored: the runtime throws before the instance exists.
/// </summary>
internal sealed partial class InvalidModelDataExceptionHandler(IProblemDetailsService problemDetails, ILogger<InvalidModelDataExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not InvalidModelDataException invalid || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogRefused(logger, httpContext.Request.Path, invalid.Message);
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status400BadRequest, Detail = invalid.Message },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, EventName = "ModelDataRefused", Level = LogLevel.Information, Message = "{Path}: 400, a model runtime refused the input: {Reason}")]
    private static partial void LogRefused(ILogger logger, PathString path, string reason);
}
