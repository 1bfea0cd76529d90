using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    private const string FederationTag = "Federation";

    /// <summary>The endpoint name (<c>WithName</c>) of <c>GET /.well-known/jwks.json</c>.</summary>
    internal const string JwksEndpointName = "getJsonWebKeySet";

    /// <summary>The endpoint name of the RFC 7009 revocation endpoint.</summary>
    internal const string RevocationEndpointName = "revokeToken";

    /// <summary>The endpoint name of the RFC 7662 introspection endpoint.</summary>
    internal const string IntrospectionEndpointName = "introspectToken";

    /// <summary>
    /// Maps what another service needs to check this host's JWTs with nothing but a stock JWT handler
    /// (<c>AddJwtBearer(o => o.Authority = "https://this-host")</c>): <c>GET /.well-known/openid-configuration</c> (the
    /// issuer, <c>jwks_uri</c>, the supported algorithms, and the revocation and introspection endpoints when they are
    /// mapped) and <c>GET /.well-known/jwks.json</c> (the public part of every RS256 and ES256 key of the ring, the
    /// signing and the retired ones; never an HS256 secret or a private parameter). Both are anonymous and cacheable
    /// for <see cref="RxInferEndpointOptions.DiscoveryCacheDuration"/>. Needs the JWT provider
    /// (<c>AddJwtTokens()</c>). Map it at the root of the issuer's URL, for example <c>app.MapRxInferDiscovery()</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions (CORS, rate limiting) to both endpoints.</returns>
    /// <exception cref="InvalidOperationException">The JWT provider is not registered.</exception>
    public static IEndpointConventionBuilder MapRxInferDiscovery(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var isService = endpoints.ServiceProvider.GetService<IServiceProviderIsService>();
        if (isService is null || !isService.IsService(typeof(JwtKeyPublication)))
        {
            throw new InvalidOperationException(
                "MapRxInferDiscovery publishes the keys of the JWT provider: call services.AddRxInferAuth().AddJwtTokens() (or set RxInfer:Auth:Provider to Jwt) before mapping it.");
        }

        var group = endpoints.MapGroup("");
        group.MapGet("/.well-known/openid-configuration", GetDiscoveryDocument)
            .WithName("getOpenIdConfiguration")
            .WithTags(FederationTag)
            .WithSummary("The issuer's metadata (OpenID Connect discovery, RFC 8414)")
            .AllowAnonymous();
        group.MapGet("/.well-known/jwks.json", GetJsonWebKeySet)
            .WithName(JwksEndpointName)
            .WithTags(FederationTag)
            .WithSummary("The public keys that verify this host's JWTs (RFC 7517)")
            .AllowAnonymous();
        return new RxInferConventionBuilder(group);
    }

    private static Ok<DiscoveryDocument> GetDiscoveryDocument(
        HttpContext context,
        [FromServices] JwtKeyPublication publication,
        [FromServices] LinkGenerator links,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        AllowCaching(context.Response, options.Value);
        var document = new DiscoveryDocument(
            publication.Issuer,
            links.GetUriByName(context, JwksEndpointName, values: null) ?? throw new InvalidOperationException("The JWKS endpoint is not mapped."),
            links.GetUriByName(context, RevocationEndpointName, values: null),
            links.GetUriByName(context, IntrospectionEndpointName, values: null),
            publication.SigningAlgorithms,
            publication.SigningAlgorithms,
            ["public"]);
        return TypedResults.Ok(document);
    }

    private static Ok<JsonWebKeySetResponse> GetJsonWebKeySet(
        HttpContext context,
        [FromServices] JwtKeyPublication publication,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        AllowCaching(context.Response, options.Value);
        var keys = publication.Keys
            .Select(static key => new JsonWebKeyResponse(key.KeyType, key.Use, key.KeyId, key.Algorithm, key.Modulus, key.Exponent, key.Curve, key.X, key.Y))
            .ToArray();
        return TypedResults.Ok(new JsonWebKeySetResponse(keys));
    }

    /// <summary>Public metadata: any cache may keep it for the configured time (a relying party re-reads it after a rotation).</summary>
    private static void AllowCaching(HttpResponse response, RxInferEndpointOptions options) =>
        response.Headers.CacheControl = $"public, max-age={(long)options.DiscoveryCacheDuration.TotalSeconds}";
}
