using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The adapter's error bodies belong to the adapter's requests: they do not depend on whether the host called
/// <c>AddProblemDetails()</c> before or after it, and the host's own endpoints keep the host's error bodies.
/// </summary>
public sealed class ErrorScopeTests
{
    public enum Order
    {
        HostProblemDetailsFirst,
        HostProblemDetailsAfter,
        NoHostProblemDetails,
    }

    private static async Task<WebApplication> StartAsync(Order order, Action<IServiceCollection>? services = null, bool tokensOnly = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RxInfer:Auth:DevelopmentToken:Enabled"] = "true" });
        if (order == Order.HostProblemDetailsFirst)
        {
            builder.Services.AddProblemDetails();
        }

        builder.Services.AddRxInfer(builder.Configuration);
        if (order == Order.HostProblemDetailsAfter)
        {
            builder.Services.AddProblemDetails();
        }

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        var v1 = app.MapGroup("/v1");
        if (tokensOnly)
        {
            v1.MapRxInferTokens();
        }
        else
        {
            v1.MapRxInfer();
        }

        // The host's own endpoints, some under the API's prefix.
        v1.MapGet("/host/problem", static () => TypedResults.Problem(detail: "host says no", statusCode: StatusCodes.Status409Conflict));
        v1.MapGet("/host/empty", static () => TypedResults.BadRequest());
        v1.MapPost("/host/post-only", static () => "ok");
        v1.MapGet("/host/unavailable", static string () => throw new ServiceUnavailableException("The host's store is down", TimeSpan.FromSeconds(1)));
        app.MapGet("/outside/empty", static () => TypedResults.NotFound());
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpResponseMessage> SendAsync(WebApplication app, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer dev-token");
        return await app.GetTestClient().SendAsync(request);
    }

    private static async Task AssertContractAsync(HttpResponseMessage response, HttpStatusCode status, string? message = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["error", "message"], body.EnumerateObject().Select(static p => p.Name));
        if (message is not null)
        {
            Assert.Equal(message, body.GetProperty("message").GetString());
        }
    }

    private static async Task AssertHostsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadAsync(response);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(body.TryGetProperty("error", out _));
    }

    public static TheoryData<Order> Orders => new() { Order.HostProblemDetailsFirst, Order.HostProblemDetailsAfter, Order.NoHostProblemDetails };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task An_unknown_path_under_the_api_prefix_is_the_contract_404(Order order)
    {
        await using var app = await StartAsync(order);

        foreach (var path in new[] { "/v1/nothing", "/v1/models/nothing", "/v1/token/nothing", "/V1/Nothing/deeper" })
        {
            using var response = await SendAsync(app, "GET", path);
            await AssertContractAsync(response, HttpStatusCode.NotFound, "The requested resource could not be found");
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task A_method_our_route_does_not_allow_is_a_contract_4xx(Order order)
    {
        // Only the token area, so no fallback of ours catches the method: routing answers 405 on our route.
        await using var app = await StartAsync(order, tokensOnly: true);

        using var response = await SendAsync(app, "PUT", "/v1/token/roles");

        await AssertContractAsync(response, HttpStatusCode.MethodNotAllowed, "Method Not Allowed");
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Exceptions_in_our_endpoints_get_the_contract_body(Order order)
    {
        await using var app = await StartAsync(order, services => services.Replace(ServiceDescriptor.Singleton<IModelInstanceService, ThrowingInstances>()));

        using var unavailable = await SendAsync(app, "GET", "/v1/models/instances");
        await AssertContractAsync(unavailable, HttpStatusCode.ServiceUnavailable, "The instance store is down");
        Assert.Equal("2", Assert.Single(unavailable.Headers.GetValues("Retry-After")));

        using var bad = await SendAsync(app, "GET", $"/v1/models/i/{Guid.Empty}");
        await AssertContractAsync(bad, HttpStatusCode.BadRequest, "The request could not be read: Unreadable");
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task The_hosts_own_endpoints_keep_their_problem_details(Order order)
    {
        await using var app = await StartAsync(order);

        using (var problem = await SendAsync(app, "GET", "/v1/host/problem"))
        {
            await AssertHostsAsync(problem, HttpStatusCode.Conflict);
            Assert.Equal("host says no", (await Json.ReadAsync(problem)).GetProperty("detail").GetString());
        }

        using (var empty = await SendAsync(app, "GET", "/v1/host/empty"))
        {
            await AssertHostsAsync(empty, HttpStatusCode.BadRequest);
        }

        using (var wrongMethod = await SendAsync(app, "GET", "/v1/host/post-only"))
        {
            await AssertHostsAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
        }

        using (var outside = await SendAsync(app, "GET", "/outside/empty"))
        {
            await AssertHostsAsync(outside, HttpStatusCode.NotFound);
        }

        using (var unknown = await SendAsync(app, "GET", "/outside/unknown"))
        {
            await AssertHostsAsync(unknown, HttpStatusCode.NotFound);
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Service_unavailable_in_a_host_endpoint_is_503_with_retry_after_in_the_hosts_format(Order order)
    {
        await using var app = await StartAsync(order);

        using var response = await SendAsync(app, "GET", "/v1/host/unavailable");

        await AssertHostsAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal("The host's store is down", (await Json.ReadAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Mapped_at_the_root_the_api_claims_no_unknown_path_but_keeps_its_own_errors()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RxInfer:Auth:DevelopmentToken:Enabled"] = "true" });
        builder.Services.AddProblemDetails();
        builder.Services.AddRxInfer(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton<IModelInstanceService, ThrowingInstances>());
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRxInfer();
        app.MapGet("/host/unavailable", static string () => throw new ServiceUnavailableException("The host's store is down", TimeSpan.FromSeconds(1)));
        await app.StartAsync();

        using var unknown = await SendAsync(app, "GET", "/elsewhere");
        await AssertHostsAsync(unknown, HttpStatusCode.NotFound);

        using var ours = await SendAsync(app, "GET", "/token/nothing");
        await AssertContractAsync(ours, HttpStatusCode.NotFound, "The requested resource could not be found");

        using var oursFailing = await SendAsync(app, "GET", "/models/instances");
        await AssertContractAsync(oursFailing, HttpStatusCode.ServiceUnavailable, "The instance store is down");

        using var hostFailing = await SendAsync(app, "GET", "/host/unavailable");
        await AssertHostsAsync(hostFailing, HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task A_service_that_returns_no_outcome_is_a_500_never_a_success(Order order)
    {
        await using var app = await StartAsync(order, services => services.Replace(ServiceDescriptor.Singleton<IModelInstanceService, ThrowingInstances>()));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/create-instance")
        {
            Content = new StringContent("""{"model_name":"coin-toss-v1"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer dev-token");

        using var response = await app.GetTestClient().SendAsync(request);

        await AssertContractAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("ThrowingInstances", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal); // no exception detail
    }

    private sealed class ThrowingInstances : IModelInstanceService
    {
        /// <summary>A broken service: the default outcome, which must never pass for a created instance.</summary>
        public ValueTask<ModelInstanceCreation> CreateAsync(ModelCaller caller, string modelName, System.Text.Json.JsonElement? arguments, string? description, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(default(ModelInstanceCreation));

        public ValueTask<IReadOnlyList<ModelInstance>> ListAsync(ModelCaller caller, CancellationToken cancellationToken = default) =>
            throw new ServiceUnavailableException("The instance store is down", TimeSpan.FromSeconds(1.5));

        public ValueTask<ModelInstance?> GetAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default) =>
            throw new BadHttpRequestException("Unreadable.");

        public ValueTask<System.Text.Json.JsonElement?> GetStateAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<bool> DeleteAsync(ModelCaller caller, Guid instanceId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
