using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The host's own endpoints under the same scheme.</summary>
public abstract partial class HttpContractTests
{
    [Fact]
    public async Task Host_endpoint_requiring_the_admin_role_accepts_dev_token_admin_and_forbids_others()
    {
        await using var app = await StartAsync();
        using (var admin = await app.SendAsync(HttpMethod.Get, "/host/admin", "dev-token:admin"))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        using (var user = await app.SendAsync(HttpMethod.Get, "/host/admin", "dev-token"))
        {
            await AssertErrorAsync(user, HttpStatusCode.Forbidden, """{"error":"Forbidden","message":"The token does not grant access to this resource"}""");
        }

        using var none = await app.SendAsync(HttpMethod.Get, "/host/admin");
        await AssertNoTokenAsync(none);
    }

    [Fact]
    public async Task Principal_carries_subject_token_id_and_roles()
    {
        await using var app = await StartAsync();
        var key = await app.Services.GetRequiredService<IApiKeyService>().CreateAsync("service-c", ["user", "admin"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Add("X-API-Key", key.Token);
        using var generated = await app.Client.SendAsync(request);
        var token = (await Json.ReadAsync(generated)).GetProperty("token").GetString()!;

        using var response = await app.SendAsync(HttpMethod.Get, "/host/me", token);
        var me = await Json.ReadAsync(response);
        Assert.Equal("service-c", me.GetProperty("sub").GetString());
        Assert.Equal("service-c", me.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(me.GetProperty("jti").GetString()));
        Assert.NotEqual(token, me.GetProperty("jti").GetString());
        Json.Equal("""["user","admin"]""", me.GetProperty("roles"));
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
    }
}
