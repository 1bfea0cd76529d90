using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RxInfer.Server.ApiReference;

/// <summary>
/// Puts the bearer scheme into the OpenAPI document as the original server names it (<c>ApiKeyAuth</c>, HTTP
/// <c>bearer</c>), requires it on every operation that requires authorization, and marks anonymous operations
/// (<c>tokenGenerate</c>, <c>pingServer</c>) with <c>security: []</c>, so that the API reference page offers
/// "Authorize" and sends the pasted token with the operations that need it.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    /// <summary>The scheme's name, as in the original server's OpenAPI document.</summary>
    public const string SchemeName = "ApiKeyAuth";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A token from POST /v1/token/generate (or dev-token, when the host enables it), sent as Authorization: Bearer <token>.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var requiresToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        operation.Security = requiresToken
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }]
            : [];
        return Task.CompletedTask;
    }
}
