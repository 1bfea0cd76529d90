using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary><c>services.AddRxInfer(configuration)</c>: the whole adapter from configuration in one call.</summary>
public sealed class OneCallRegistrationTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(Dictionary<string, string?> settings, Action<RxInferBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        var rxinfer = builder.Services.AddRxInfer(builder.Configuration);
        configure?.Invoke(rxinfer);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGroup("/v1").MapRxInfer();
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    private static async Task<string> GenerateTokenAsync(HttpClient client)
    {
        using var response = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task Without_settings_the_opaque_provider_serves_the_api()
    {
        var (app, client) = await StartAsync([]);
        await using var _ = app;

        var token = await GenerateTokenAsync(client);

        Assert.StartsWith(RxInferAuthDefaults.AccessTokenPrefix, token, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/token/roles") { Headers = { { "Authorization", "Bearer " + token } } };
        using var roles = await client.SendAsync(request);
        Assert.Equal("""{"roles":["user"]}""", await roles.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Provider_Jwt_in_configuration_issues_signed_jwts()
    {
        var (app, client) = await StartAsync(new()
        {
            ["RxInfer:Auth:Provider"] = "jwt",
            ["RxInfer:Auth:Jwt:Keys:0:KeyId"] = "one-call",
            ["RxInfer:Auth:Jwt:Keys:0:Algorithm"] = "HS256",
            ["RxInfer:Auth:Jwt:Keys:0:Secret"] = TestKeys.HmacSecretBase64,
        });
        await using var _ = app;

        var token = await GenerateTokenAsync(client);

        Assert.Equal(3, token.Split('.').Length);
        Assert.IsType<RxInfer.Auth.TokenIdentity>((await app.Services.GetRequiredService<ITokenValidator>().ValidateAsync(token)).Identity);
    }

    [Fact]
    public async Task Settings_and_code_both_reach_the_models_and_endpoints()
    {
        var (app, client) = await StartAsync(
            new() { ["RxInfer:Models:MaxDescriptionLength"] = "5", ["RxInfer:Endpoints:MaxRequestBodySize"] = "1000" },
            rxinfer =>
            {
                rxinfer.Auth.AddDevelopmentToken();
                rxinfer.Models.AddModel(ModelDefinition.Create("echo-v1", "echo", "tests", ["user"]));
            });
        await using var _ = app;

        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/models/create-instance")
        {
            Headers = { { "Authorization", "Bearer dev-token" } },
            Content = new StringContent("""{"model_name":"echo-v1","description":"too long"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(create);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 5", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1000, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RxInferEndpointOptions>>().Value.MaxRequestBodySize);
    }

    [Fact]
    public void An_unknown_provider_fails_at_registration_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RxInfer:Auth:Provider"] = "ldap" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddRxInfer(configuration));

        Assert.Equal("RxInfer:Auth:Provider is 'ldap'; use 'Opaque' (the default) or 'Jwt'.", error.Message);
    }

    [Fact]
    public async Task The_catalogue_is_loaded_when_the_endpoints_are_mapped()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddRxInfer(builder.Configuration);
        var loaded = 0;
        builder.Services.AddSingleton<IModelCatalog>(sp =>
        {
            loaded++;
            return new FixedCatalog();
        });
        await using var app = builder.Build();

        app.MapGroup("/v1").MapRxInfer();

        Assert.Equal(1, loaded);
    }

    [Fact]
    public async Task Mapping_the_model_endpoints_without_the_models_package_fails_with_a_clear_message()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddRxInferAuth();
        builder.Services.AddRxInferAuthentication();
        builder.Services.AddRxInferEndpoints();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGroup("/v1").MapRxInferModels());

        Assert.Contains("services.AddRxInferModels()", error.Message, StringComparison.Ordinal);
        app.MapGroup("/v1").MapRxInferTokens();
    }

    private sealed class FixedCatalog : IModelCatalog
    {
        public IReadOnlyList<ModelDefinition> GetAvailableModels(IReadOnlyList<string> roles) => [];

        public ModelDefinition? FindModel(string name, IReadOnlyList<string> roles) => null;

        public ModelDefinition? FindModelByName(string name) => null;
    }
}
