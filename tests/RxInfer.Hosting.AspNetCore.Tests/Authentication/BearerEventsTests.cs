using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Authentication;

/// <summary>The scheme's events, as a host uses them, and the 401/403 paths once a response has started.</summary>
public sealed class BearerEventsTests
{
    [Fact]
    public async Task A_MessageReceived_handler_can_take_the_token_from_the_query_string()
    {
        await using var host = await EventsHost.StartAsync(events => events.OnMessageReceived = context =>
        {
            context.Token = context.Request.Query["access_token"];
            return Task.CompletedTask;
        });

        using var fromQuery = await host.Client.GetAsync("/me?access_token=dev-token");
        Assert.Equal(HttpStatusCode.OK, fromQuery.StatusCode);
        Assert.Equal("user", await fromQuery.Content.ReadAsStringAsync());

        using var fromHeader = await host.GetAsync("/me", "dev-token:admin");
        Assert.Equal("admin", await fromHeader.Content.ReadAsStringAsync());

        using var neither = await host.Client.GetAsync("/me?access_token=");
        Assert.Equal(HttpStatusCode.Unauthorized, neither.StatusCode);
        Assert.Equal("Bearer", neither.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_MessageReceived_handler_that_fails_the_request_keeps_a_valid_token_out()
    {
        await using var host = await EventsHost.StartAsync(events => events.OnMessageReceived = context =>
        {
            if (context.Request.Headers.ContainsKey("X-Blocked"))
            {
                context.Fail("blocked by the host");
            }

            return Task.CompletedTask;
        });

        using var allowed = await host.GetAsync("/me", "dev-token");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var blocked = await host.GetAsync("/me", "dev-token", ("X-Blocked", "1"));
        Assert.Equal(HttpStatusCode.Unauthorized, blocked.StatusCode);
    }

    [Fact]
    public async Task A_TokenValidated_handler_sees_the_identity_adds_claims_and_can_reject()
    {
        var seen = new List<string>();
        await using var host = await EventsHost.StartAsync(events => events.OnTokenValidated = context =>
        {
            seen.Add(context.Identity.Subject);
            if (context.Identity.Roles.Contains("suspended"))
            {
                context.Fail("suspended");
                return Task.CompletedTask;
            }

            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("tenant", "blue"));
            return Task.CompletedTask;
        });

        using var tenant = await host.GetAsync("/tenant", "dev-token");
        Assert.Equal(HttpStatusCode.OK, tenant.StatusCode);
        Assert.Equal("blue", await tenant.Content.ReadAsStringAsync());

        using var suspended = await host.GetAsync("/me", "dev-token:user,suspended");
        Assert.Equal(HttpStatusCode.Unauthorized, suspended.StatusCode);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, subject => Assert.False(string.IsNullOrEmpty(subject)));
    }

    [Fact]
    public async Task A_Challenge_handler_gets_the_rejection_and_may_write_its_own_401()
    {
        var rejections = new List<TokenRejectionReason>();
        await using var host = await EventsHost.StartAsync(events => events.OnChallenge = async context =>
        {
            rejections.Add(context.Rejection);
            if (context.Request.Headers.ContainsKey("X-Own-Body"))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("sign in at the portal");
                context.HandleResponse();
            }
        });

        using var own = await host.GetAsync("/me", "rxi_not-a-real-token", ("X-Own-Body", "1"));
        Assert.Equal(HttpStatusCode.Unauthorized, own.StatusCode);
        Assert.Equal("sign in at the portal", await own.Content.ReadAsStringAsync());
        Assert.Empty(own.Headers.WwwAuthenticate);

        using var scheme = await host.GetAsync("/me", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, scheme.StatusCode);
        Assert.Equal("Bearer", scheme.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"error\":\"Unauthorized\"", await scheme.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal([TokenRejectionReason.Malformed, TokenRejectionReason.None], rejections);
    }

    [Fact]
    public async Task A_Forbidden_handler_may_write_its_own_403_or_leave_the_contract_body()
    {
        var calls = 0;
        await using var host = await EventsHost.StartAsync(events => events.OnForbidden = async context =>
        {
            calls++;
            if (context.Request.Headers.ContainsKey("X-Own-Body"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("ask an administrator");
                context.HandleResponse();
            }
        });

        using var own = await host.GetAsync("/admin", "dev-token", ("X-Own-Body", "1"));
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal("ask an administrator", await own.Content.ReadAsStringAsync());

        using var scheme = await host.GetAsync("/admin", "dev-token");
        Assert.Equal(HttpStatusCode.Forbidden, scheme.StatusCode);
        Assert.Contains(RxInferErrors.ForbiddenMessage, await scheme.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var admin = await host.GetAsync("/admin", "dev-token:admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Events_of_a_derived_class_resolved_from_the_container_are_called()
    {
        await using var host = await EventsHost.StartAsync(
            configure: null,
            services => services.AddSingleton<CountingEvents>(),
            options => options.EventsType = typeof(CountingEvents));

        using var ok = await host.GetAsync("/me", "dev-token");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var forbidden = await host.GetAsync("/admin", "dev-token");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var events = host.Services.GetRequiredService<CountingEvents>();
        Assert.Equal(2, events.MessagesReceived);
        Assert.Equal(2, events.TokensValidated);
        Assert.Equal(1, events.Forbids);
    }

    [Theory]
    [InlineData("/late/challenge")]
    [InlineData("/late/forbid")]
    public async Task A_challenge_or_forbid_after_the_response_started_changes_nothing_and_throws_nothing(string path)
    {
        var eventCalls = 0;
        await using var host = await EventsHost.StartAsync(events =>
        {
            events.OnChallenge = _ =>
            {
                eventCalls++;
                return Task.CompletedTask;
            };
            events.OnForbidden = _ =>
            {
                eventCalls++;
                return Task.CompletedTask;
            };
        });

        using var response = await host.GetAsync(path, token: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("partial answer;done", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(0, eventCalls);
    }

    private sealed class CountingEvents : RxInferBearerEvents
    {
        public int MessagesReceived { get; private set; }

        public int TokensValidated { get; private set; }

        public int Forbids { get; private set; }

        public override Task MessageReceived(RxInferMessageReceivedContext context)
        {
            MessagesReceived++;
            return base.MessageReceived(context);
        }

        public override Task TokenValidated(RxInferTokenValidatedContext context)
        {
            TokensValidated++;
            return base.TokenValidated(context);
        }

        public override Task Forbidden(RxInferForbiddenContext context)
        {
            Forbids++;
            return base.Forbidden(context);
        }
    }

    /// <summary>A host with the scheme, the development token, and a few endpoints of its own.</summary>
    private sealed class EventsHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EventsHost(WebApplication app)
        {
            _app = app;
            Client = app.GetTestClient();
        }

        public HttpClient Client { get; }

        public IServiceProvider Services => _app.Services;

        public static async Task<EventsHost> StartAsync(
            Action<RxInferBearerEvents>? configure,
            Action<IServiceCollection>? services = null,
            Action<RxInferBearerOptions>? options = null)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Services.AddRxInferAuth().AddOpaqueTokens().AddDevelopmentToken();
            builder.Services.AddRxInferAuthentication(o =>
            {
                configure?.Invoke(o.Events);
                options?.Invoke(o);
            });
            services?.Invoke(builder.Services);

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/me", static (ClaimsPrincipal user) => string.Join(',', user.FindAll(RxInferClaimTypes.Role).Select(static c => c.Value))).RequireAuthorization();
            app.MapGet("/tenant", static (ClaimsPrincipal user) => user.FindFirst("tenant")?.Value ?? "none").RequireAuthorization();
            app.MapGet("/admin", static () => "ok").RequireAuthorization(static policy => policy.RequireRole("admin"));
            app.MapGet("/late/challenge", static async (HttpContext context) =>
            {
                await context.Response.WriteAsync("partial answer;");
                await context.ChallengeAsync(RxInferDefaults.AuthenticationScheme);
                await context.Response.WriteAsync("done");
            });
            app.MapGet("/late/forbid", static async (HttpContext context) =>
            {
                await context.Response.WriteAsync("partial answer;");
                await context.ForbidAsync(RxInferDefaults.AuthenticationScheme);
                await context.Response.WriteAsync("done");
            });
            await app.StartAsync();
            return new EventsHost(app);
        }

        public async Task<HttpResponseMessage> GetAsync(string path, string? token, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            foreach (var (name, value) in headers)
            {
                request.Headers.Add(name, value);
            }

            return await Client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.DisposeAsync();
        }
    }
}
