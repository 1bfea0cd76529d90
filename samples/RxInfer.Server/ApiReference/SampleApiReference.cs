using Microsoft.AspNetCore.OpenApi;

namespace RxInfer.Server.ApiReference;

/// <summary>
/// The sample's interactive API reference: Swagger UI (from <c>Swashbuckle.AspNetCore.SwaggerUI</c>, its files
/// embedded in the package and served by this host, no CDN) at <c>/swagger/</c>, showing the OpenAPI document at
/// <c>/openapi/v1.json</c> with the bearer scheme, "Try it out" switched on and the operationIds shown.
/// </summary>
internal static class SampleApiReference
{
    /// <summary>Where the page is: <c>/swagger/</c> (<c>/swagger/index.html</c>).</summary>
    public const string RoutePrefix = "swagger";

    private static readonly PathString PathPrefix = new($"/{RoutePrefix}");

    /// <summary>The OpenAPI document the page shows (served by <c>app.MapOpenApi()</c>).</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Adds the bearer scheme to the OpenAPI document (see <see cref="BearerSecurityTransformer"/>).</summary>
    /// <param name="options">The options of <c>AddOpenApi</c>.</param>
    public static void AddBearerSecurity(OpenApiOptions options)
    {
        var transformer = new BearerSecurityTransformer();
        options.AddDocumentTransformer(transformer);
        options.AddOperationTransformer(transformer);
    }

    /// <summary>Serves the page at <c>/swagger/</c> and sends a browser that opens <c>/</c> to it.</summary>
    /// <param name="app">The host.</param>
    /// <returns>The host.</returns>
    public static WebApplication UseSampleApiReference(this WebApplication app)
    {
        // Only requests under /swagger go through Swagger UI's middleware: it matches every path it sees with regular
        // expressions, which the API's own requests (every /v1 call) need not pay for.
        app.UseWhen(
            static context => context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase),
            static branch => branch.UseSwaggerUI(options =>
            {
                options.RoutePrefix = RoutePrefix;
                options.DocumentTitle = "RxInfer.Server API reference";
                options.SwaggerEndpoint(DocumentPath, "RxInfer.Server v1");
                options.EnableTryItOutByDefault();
                options.DisplayOperationId(); // no validatorUrl: Swashbuckle's page then asks no outside validator
            }));
        app.MapGet("/", static () => TypedResults.Redirect($"/{RoutePrefix}/index.html")).ExcludeFromDescription();
        return app;
    }
}
