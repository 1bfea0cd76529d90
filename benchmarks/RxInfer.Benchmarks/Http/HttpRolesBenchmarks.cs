using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using RxInfer.Auth;
using RxInfer.Benchmarks.Infrastructure;
using RxInfer.Hosting.AspNetCore;

namespace RxInfer.Benchmarks.Http;

/// <summary>
/// One authenticated <c>GET /v1/token/roles</c> through the whole ASP.NET Core pipeline on the test host
/// (routing, authentication, authorization, the endpoint, JSON <c>{"roles":[...]}</c>), read to the end by
/// an <see cref="HttpClient"/>. Three hosts, built the same way (slim builder, no log providers):
/// the stock <c>JwtBearer</c> handler validating the JWT with ordinary parameters on an endpoint of the same
/// shape (the baseline); our scheme (<c>AddRxInferAuthentication</c> + <c>MapRxInferTokens</c>) with the JWT
/// provider on the same token and key; and our scheme with an opaque token. One operation is one request,
/// so <c>Op/s</c> is requests per second (on one client, sequential). Target: ours at least the stock's throughput.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OperationsPerSecondConfig))]
public class HttpRolesBenchmarks
{
    private const string Path = "/v1/token/roles";

    private JwtFixture _peer = null!;
    private Host _stock = null!;
    private Host _oursJwt = null!;
    private Host _oursOpaque = null!;

    [Params("HS256", "ES256")]
    public string Algorithm { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        _peer = new JwtFixture(Algorithm);
        _stock = Host.Start(
            services => services
                .AddAuthorization()
                .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(options =>
                {
                    options.MapInboundClaims = false;
                    options.TokenValidationParameters = _peer.Parameters;
                }),
            app => app.MapGet(Path, static (System.Security.Claims.ClaimsPrincipal user) =>
                    TypedResults.Ok(new RolesResponse([.. user.FindAll("roles").Select(static claim => claim.Value)])))
                .RequireAuthorization());
        _oursJwt = Host.Start(
            services =>
            {
                services.AddRxInferAuth().AddJwtTokens(options => options.Keys =
                [
                    new JwtSigningKeyOptions
                    {
                        KeyId = _peer.KeyId,
                        Algorithm = _peer.Algorithm,
                        Secret = _peer.Algorithm == SecurityAlgorithms.HmacSha256 ? Convert.ToBase64String(JwtFixture.HmacSecret) : null,
                        Pem = _peer.Algorithm == SecurityAlgorithms.EcdsaSha256 ? _peer.PrivateKeyPem : null,
                    },
                ]);
                services.AddRxInferAuthentication();
                services.AddRxInferEndpoints();
            },
            app => app.MapGroup("/v1").MapRxInferTokens());
        _oursOpaque = Host.Start(
            services =>
            {
                services.AddRxInferAuth().AddOpaqueTokens();
                services.AddRxInferAuthentication();
                services.AddRxInferEndpoints();
            },
            app => app.MapGroup("/v1").MapRxInferTokens());

        // The same JWT, issued by our provider, for the stock host and ours; an opaque token for the third.
        var jwt = Issue(_oursJwt);
        _stock.Authorize(jwt);
        _oursJwt.Authorize(jwt);
        _oursOpaque.Authorize(Issue(_oursOpaque));

        const string expected = """{"roles":["user","admin"]}""";
        foreach (var (host, name) in new[] { (_stock, "stock"), (_oursJwt, "ours JWT"), (_oursOpaque, "ours opaque") })
        {
            var body = host.Client.GetStringAsync(Path).GetAwaiter().GetResult();
            if (body != expected)
            {
                throw new InvalidOperationException($"Setup check failed: {name} answered {body}, expected {expected}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stock.Dispose();
        _oursJwt.Dispose();
        _oursOpaque.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Stock JwtBearer, JWT")]
    public Task<int> Stock_JwtBearer() => _stock.GetRolesAsync();

    [Benchmark(Description = "Ours RxInferBearer, JWT")]
    public Task<int> Ours_Jwt() => _oursJwt.GetRolesAsync();

    [Benchmark(Description = "Ours RxInferBearer, opaque")]
    public Task<int> Ours_Opaque() => _oursOpaque.GetRolesAsync();

    private static string Issue(Host host) =>
        host.App.Services.GetRequiredService<ITokenIssuer>()
            .IssueAsync(new TokenRequest(JwtFixture.Subject, JwtFixture.Roles)).AsTask().GetAwaiter().GetResult().Token;

    private sealed class OperationsPerSecondConfig : ManualConfig
    {
        public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }

    /// <summary>A web application on the test server with one client.</summary>
    private sealed class Host : IDisposable
    {
        private Host(WebApplication app)
        {
            App = app;
            Client = app.GetTestClient();
        }

        public WebApplication App { get; }

        public HttpClient Client { get; }

        public static Host Start(Action<IServiceCollection> services, Action<WebApplication> map)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            services(builder.Services);
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            map(app);
            app.StartAsync().GetAwaiter().GetResult();
            return new Host(app);
        }

        public void Authorize(string token) => Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        /// <summary>One request, its body read to the end; returns the body's length.</summary>
        public async Task<int> GetRolesAsync()
        {
            using var response = await Client.GetAsync(Path);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Expected 200, got {(int)response.StatusCode}.");
            }

            return (await response.Content.ReadAsByteArrayAsync()).Length;
        }

        public void Dispose()
        {
            Client.Dispose();
            App.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)App).Dispose();
        }
    }
}
