using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Federation;

/// <summary>The federation endpoints, once mapped, are described in the served OpenAPI document (<c>Microsoft.AspNetCore.OpenApi</c>).</summary>
public sealed class FederationOpenApiTests
{
    public static TheoryData<string, string, string, int[]> Operations => new()
    {
        { "get", "/.well-known/openid-configuration", "getOpenIdConfiguration", [200] },
        { "get", "/.well-known/jwks.json", "getJsonWebKeySet", [200] },
        { "post", "/v1/token/revoke", "revokeToken", [200, 400, 401, 403] },
        { "post", "/v1/token/introspect", "introspectToken", [200, 400, 401, 403] },
        { "post", "/v1/api-keys", "createApiKey", [200, 400, 401, 403] },
        { "get", "/v1/api-keys", "listApiKeys", [200, 400, 401, 403] },
        { "delete", "/v1/api-keys/{key_id}", "revokeApiKey", [200, 401, 403, 404] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_served_document_has_the_operation_with_its_id_and_status_codes(string method, string path, string operationId, int[] statuses)
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions
        {
            Provider = static auth => auth.AddJwtTokens(jwt => jwt.Keys = [TestKeys.Es256("es-1")]),
            Services = static services => services.AddOpenApi(),
            Map = static app =>
            {
                app.MapOpenApi();
                app.MapRxInferDiscovery();
                var v1 = app.MapGroup("/v1");
                v1.MapRxInferRevocation();
                v1.MapRxInferIntrospection();
                v1.MapRxInferApiKeys();
            },
        });

        using var response = await app.SendAsync(HttpMethod.Get, "/openapi/v1.json");
        var document = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"no path {path}");
        Assert.True(item.TryGetProperty(method, out var operation), $"no {method} {path}");
        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
        var codes = operation.GetProperty("responses").EnumerateObject().Select(static r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(statuses, codes);
    }
}
