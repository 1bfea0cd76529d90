using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>The real sample host on Kestrel, on a free loopback port, driven over TCP with <see cref="HttpClient"/>.</summary>
public sealed class SampleHostEndToEndTests
{
    [Fact]
    public async Task Sample_host_on_kestrel_serves_the_whole_session()
    {
        await using var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", "--RXINFER_SERVER_ENABLE_DEV_TOKEN=True"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        // ping, anonymous
        Json.Equal("""{"status":"ok"}""", await Json.ReadAsync(await client.GetAsync(new Uri("/v1/ping", UriKind.Relative))));

        // generate
        var generated = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        var token = (await Json.ReadAsync(generated)).GetProperty("token").GetString()!;
        Assert.StartsWith("rxi_", token, StringComparison.Ordinal);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // roles
        Json.Equal("""{"roles":["user"]}""", await Json.ReadAsync(await client.GetAsync(new Uri("/v1/token/roles", UriKind.Relative))));

        // list models: the sample's user models
        var models = await Json.ReadAsync(await client.GetAsync(new Uri("/v1/models/available", UriKind.Relative)));
        Assert.Equal(
            ["coin-toss-v1", "sensor-smoothing-v1"],
            models.EnumerateArray().Select(m => m.GetProperty("details").GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        // create
        using var body = new StringContent("""{"model_name":"coin-toss-v1","description":"e2e"}""", Encoding.UTF8, "application/json");
        var created = await client.PostAsync(new Uri("/v1/models/create-instance", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await Json.ReadAsync(created)).GetProperty("instance_id").GetString()!;

        // get, state, list
        var instance = await Json.ReadAsync(await client.GetAsync(new Uri($"/v1/models/i/{id}", UriKind.Relative)));
        Assert.Equal("e2e", instance.GetProperty("description").GetString());
        Assert.Equal("default", instance.GetProperty("current_episode").GetString());
        Json.Equal(
            """{"state":{"number_of_inference_calls":0,"number_of_learning_calls":0,"number_of_processed_events":0}}""",
            await Json.ReadAsync(await client.GetAsync(new Uri($"/v1/models/i/{id}/state", UriKind.Relative))));
        Assert.Single((await Json.ReadAsync(await client.GetAsync(new Uri("/v1/models/instances", UriKind.Relative)))).EnumerateArray());

        // delete, then 404
        var deleted = await client.DeleteAsync(new Uri($"/v1/models/i/{id}", UriKind.Relative));
        Json.Equal("""{"message":"Model instance deleted successfully"}""", await Json.ReadAsync(deleted));
        var gone = await client.GetAsync(new Uri($"/v1/models/i/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // the development token is on: the 401 says so
        client.DefaultRequestHeaders.Authorization = null;
        var unauthorized = await client.GetAsync(new Uri("/v1/token/roles", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.EndsWith("or use the development token `dev-token`", (await Json.ReadAsync(unauthorized)).GetProperty("message").GetString(), StringComparison.Ordinal);

        // an unknown route outside the API gets the contract body from the status code pages
        var unknown = await client.GetAsync(new Uri("/v1/nothing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Json.Equal("""{"error":"Not Found","message":"The requested resource could not be found"}""", await Json.ReadAsync(unknown));

        await app.StopAsync();
    }

    [Fact]
    public void Sample_host_rejects_an_unknown_provider_at_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Program.CreateApp(["--RxInfer:Auth:Provider=Kerberos"]));
        Assert.Contains("Kerberos", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_host_on_the_jwt_provider_without_keys_fails_at_start_outside_Development()
    {
        await using var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", "--RxInfer:Auth:Provider=Jwt", "--environment=Production"]);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("JwtTokenOptions.GenerateEphemeralKey (configuration RxInfer:Auth:Jwt:GenerateEphemeralKey) is allowed only in the Development environment (this host's environment is 'Production')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_host_on_the_jwt_provider_issues_jwts()
    {
        // The sample's appsettings.json has no JWT keys and asks for an ephemeral one, which starts in Development only.
        await using var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", "--RxInfer:Auth:Provider=Jwt", "--environment=Development"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var token = (await Json.ReadAsync(await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null))).GetProperty("token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Json.Equal("""{"roles":["user"]}""", await Json.ReadAsync(await client.GetAsync(new Uri("/v1/token/roles", UriKind.Relative))));
        await app.StopAsync();
    }
}
