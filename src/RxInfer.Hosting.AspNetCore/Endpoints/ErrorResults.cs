using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The contract's 401 as an <see cref="IResult"/>, with its OpenAPI metadata.</summary>
internal sealed class ContractUnauthorizedResult(TokenRejectionReason rejection) : IResult, IEndpointMetadataProvider
{
    public static readonly ContractUnauthorizedResult NoToken = new(TokenRejectionReason.None);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var developmentToken = services.GetService<IOptionsMonitor<DevelopmentTokenOptions>>()?.CurrentValue.Enabled ?? false;
        var scheme = services.GetService<IOptions<RxInferEndpointOptions>>()?.Value.AuthenticationScheme ?? RxInferDefaults.AuthenticationScheme;
        var includeDescription = services.GetService<IOptionsMonitor<RxInferBearerOptions>>()?.Get(scheme).IncludeErrorDescription ?? true;
        return BearerChallenge.WriteAsync(httpContext, developmentToken, rejection, includeDescription);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(ErrorResults.Produces(StatusCodes.Status401Unauthorized));
}

/// <summary>A contract error body (<c>{"error","message"}</c>), written with the adapter's own JSON settings (backticks and quotes unescaped).</summary>
internal abstract class ContractError(int statusCode, string message) : IResult, IStatusCodeHttpResult
{
    public string Message { get; } = message;

    public int? StatusCode => statusCode;

    public Task ExecuteAsync(HttpContext httpContext) => RxInferErrors.WriteAsync(httpContext.Response, statusCode, Message);
}

/// <summary>The contract's 400; its type tells OpenAPI about the status.</summary>
internal sealed class BadRequestError(string message) : ContractError(StatusCodes.Status400BadRequest, message), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(ErrorResults.Produces(StatusCodes.Status400BadRequest));
}

/// <summary>The contract's 404; its type tells OpenAPI about the status.</summary>
internal sealed class NotFoundError(string message) : ContractError(StatusCodes.Status404NotFound, message), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(ErrorResults.Produces(StatusCodes.Status404NotFound));
}

/// <summary>The contract's 400 and 404 as typed results, so OpenAPI sees them.</summary>
internal static class ErrorResults
{
    public static BadRequestError BadRequest(string message) => new(message);

    public static NotFoundError NotFound(string message) => new(message);

    /// <summary>Declares the 401 of an endpoint that requires authentication (written by the scheme's challenge).</summary>
    public static TBuilder ProducesUnauthorized<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.ProducesError(StatusCodes.Status401Unauthorized);

    /// <summary>Declares a status of an endpoint whose handler writes it outside its typed results.</summary>
    public static TBuilder ProducesError<TBuilder>(this TBuilder builder, int statusCode)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(Produces(statusCode));

    /// <summary>The OpenAPI metadata of a contract error body with <paramref name="statusCode"/>.</summary>
    public static ProducesResponseTypeMetadata Produces(int statusCode) =>
        new(statusCode, typeof(ErrorResponse), ["application/json"]);
}
