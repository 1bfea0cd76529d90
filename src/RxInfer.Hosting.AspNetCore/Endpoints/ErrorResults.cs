using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ErrorResponse), ["application/json"]));
}

/// <summary>The contract's 400 and 404 as typed results, so OpenAPI sees them.</summary>
internal static class ErrorResults
{
    public static BadRequest<ErrorResponse> BadRequest(string message) =>
        TypedResults.BadRequest(new ErrorResponse(RxInferErrors.BadRequest, message));

    public static NotFound<ErrorResponse> NotFound(string message) =>
        TypedResults.NotFound(new ErrorResponse(RxInferErrors.NotFound, message));

    /// <summary>Declares the 401 of an endpoint that requires authentication (written by the scheme's challenge).</summary>
    public static TBuilder ProducesUnauthorized<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ErrorResponse), ["application/json"]));

    /// <summary>Declares a status of an endpoint whose handler writes it outside its typed results.</summary>
    public static TBuilder ProducesError<TBuilder>(this TBuilder builder, int statusCode)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ErrorResponse), ["application/json"]));
}
