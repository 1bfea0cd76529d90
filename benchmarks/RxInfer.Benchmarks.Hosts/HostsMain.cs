extern alias Sample;

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;

namespace RxInfer.Benchmarks.Hosts;

/// <summary>
/// The hosts and helpers of <c>benchmarks/scripts/e2e.sh</c>. Modes:
/// <list type="bullet">
/// <item><c>bare PORT</c>: <c>GET /v1/token/roles</c> answering <c>{"roles":["user"]}</c> with no authentication (the floor).</item>
/// <item><c>jwtbearer PORT</c>: the same endpoint behind the stock <c>AddJwtBearer</c> handler validating HS256 JWTs.</item>
/// <item><c>sample ARGS...</c>: the sample host (<c>samples/RxInfer.Server</c>, its <c>Program.CreateApp</c>) with one
/// addition, <c>GET /_bench/jwt-cache-misses</c>: the total of the <c>rxinfer.auth.jwt.cache_misses</c> counter.</item>
/// <item><c>sample-jwtbearer ARGS...</c>: the same sample host with the stock <c>AddJwtBearer</c> handler as its default
/// scheme and the scheme of its <c>/v1</c> endpoints, in place of ours: the sample's pipeline with the stock handler.</item>
/// <item>Every host also answers <c>GET /_bench/gc</c>: the process's GC totals (see <c>WithGcCounters</c>).</item>
/// <item><c>mint COUNT FILE</c>: COUNT distinct HS256 JWTs from our JWT provider, one a line.</item>
/// <item><c>issue URL COUNT FILE</c>: COUNT opaque tokens from <c>POST URL/v1/token/generate</c>, one a line.</item>
/// </list>
/// The JWT key, issuer and audience come from <c>BENCH_JWT_SECRET</c> (base64), <c>BENCH_JWT_KID</c>,
/// <c>BENCH_JWT_ISSUER</c> and <c>BENCH_JWT_AUDIENCE</c>: the script passes the same values to the sample host.
/// </summary>
internal static class HostsMain
{
    private const string RolesPath = "/v1/token/roles";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: RxInfer.Benchmarks.Hosts bare|jwtbearer PORT | scheme PORT [CACHE_SIZE] | sample ARGS... | mint COUNT FILE | issue URL COUNT FILE");
            return 2;
        }

        switch (args[0])
        {
            case "bare":
                await WithGcCounters(Bare(Port(args))).RunAsync();
                return 0;
            case "jwtbearer":
                await WithGcCounters(JwtBearer(Port(args))).RunAsync();
                return 0;
            case "scheme":
                await RunCountingMissesAsync(() => Scheme(Port(args), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : null));
                return 0;
            case "sample":
                await RunCountingMissesAsync(() => Sample::Program.CreateApp(args[1..]));
                return 0;
            case "sample-jwtbearer":
                await WithGcCounters(Sample::Program.CreateApp(args[1..], UseJwtBearer)).RunAsync();
                return 0;
            case "mint":
                await MintAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
                return 0;
            case "issue":
                await IssueAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown mode '{args[0]}'");
                return 2;
        }
    }

    private static int Port(string[] args) =>
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : throw new ArgumentException("a port is required");

    private static WebApplicationBuilder Builder(int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        return builder;
    }

    private static WebApplication Bare(int port)
    {
        var app = Builder(port).Build();
        app.MapGet(RolesPath, static () => TypedResults.Ok(new RolesBody(["user"])));
        return app;
    }

    private static WebApplication JwtBearer(int port)
    {
        var builder = Builder(port);
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options => ConfigureJwtBearer(options, mapInboundClaims: false));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(RolesPath, static (System.Security.Claims.ClaimsPrincipal user) =>
                TypedResults.Ok(new RolesBody([.. user.FindAll("roles").Select(static claim => claim.Value)])))
            .RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Makes the stock handler the sample's default scheme and the scheme of its <c>/v1</c> endpoints. Inbound claims are
    /// mapped, so <c>roles</c> become <c>ClaimTypes.Role</c> claims and the endpoint answers the same body as with ours.
    /// </summary>
    private static void UseJwtBearer(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options => ConfigureJwtBearer(options, mapInboundClaims: true));
        builder.Services.Configure<RxInferEndpointOptions>(options => options.AuthenticationScheme = JwtBearerDefaults.AuthenticationScheme);
    }

    /// <summary>The stock handler with the benchmark's HS256 key, issuer, audience, type and skew.</summary>
    private static void ConfigureJwtBearer(JwtBearerOptions options, bool mapInboundClaims)
    {
        var key = Key();
        options.MapInboundClaims = mapInboundClaims;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Setting("BENCH_JWT_ISSUER"),
            ValidAudience = Setting("BENCH_JWT_AUDIENCE"),
            IssuerSigningKey = new SymmetricSecurityKey(key.Secret) { KeyId = key.KeyId },
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// The stock host's pipeline (authentication, authorization, the same endpoint) with our scheme in place of
    /// <c>AddJwtBearer</c>: the same HS256 key, issuer, audience and skew, the validated-token cache at its default size.
    /// Beside <c>jwtbearer</c> it isolates the cost of the scheme from the rest of the sample's pipeline.
    /// </summary>
    /// <param name="port">The loopback port.</param>
    /// <param name="cacheSize">The validated-token cache's size; <see langword="null"/> for the default, 0 for none.</param>
    private static WebApplication Scheme(int port, int? cacheSize)
    {
        var builder = Builder(port);
        var key = Key();
        builder.Services.AddRxInferAuth().AddJwtTokens(options =>
        {
            Configure(options, key);
            options.CacheSize = cacheSize ?? options.CacheSize;
        });
        builder.Services.AddRxInferAuthentication();
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(RolesPath, static (System.Security.Claims.ClaimsPrincipal user) =>
                TypedResults.Ok(new RolesBody([.. user.FindAll(RxInferClaimTypes.Role).Select(static claim => claim.Value)])))
            .RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Runs a host with a listener on the <c>rxinfer.auth.jwt.cache_misses</c> counter and an anonymous
    /// <c>GET /_bench/jwt-cache-misses</c> that reads it, so the script can report misses per request.
    /// </summary>
    private static async Task RunCountingMissesAsync(Func<WebApplication> create)
    {
        long misses = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == RxInferAuthDefaults.MeterName && instrument.Name == "rxinfer.auth.jwt.cache_misses")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref misses, value));
        listener.Start();

        var app = WithGcCounters(create());
        app.MapGet("/_bench/jwt-cache-misses", () => Interlocked.Read(ref misses).ToString(CultureInfo.InvariantCulture)).AllowAnonymous();
        await app.RunAsync();
    }

    /// <summary>
    /// Maps an anonymous <c>GET /_bench/gc</c> answering the process's GC totals, space-separated: bytes allocated,
    /// gen0, gen1 and gen2 collections, and the total GC pause in microseconds, so the script can report them per
    /// request beside the CPU.
    /// </summary>
    private static WebApplication WithGcCounters(WebApplication app)
    {
        app.MapGet("/_bench/gc", static () => string.Join(
            ' ',
            GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            (long)GC.GetTotalPauseDuration().TotalMicroseconds)).AllowAnonymous();
        return app;
    }

    private static async Task MintAsync(int count, string file)
    {
        var key = Key();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRxInferAuth(options => options.AccessTokenLifetime = TimeSpan.FromHours(12)).AddJwtTokens(options => Configure(options, key));
        await using var provider = services.BuildServiceProvider();
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            lines.Add((await issuer.IssueAsync(new TokenRequest($"bench-{i}", ["user"]))).Token);
        }

        await File.WriteAllLinesAsync(file, lines);
    }

    private static async Task IssueAsync(Uri baseAddress, int count, string file)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var tokens = new string[count];
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var response = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                tokens[i] = body.GetProperty("token").GetString() ?? throw new InvalidOperationException("no token in the response");
            }
        });
        await Task.WhenAll(workers);
        await File.WriteAllLinesAsync(file, tokens);
    }

    /// <summary>Our JWT provider with the benchmark's HS256 key, issuer and audience (the minting and the scheme host).</summary>
    private static void Configure(JwtTokenOptions options, (string KeyId, byte[] Secret) key)
    {
        options.Issuer = Setting("BENCH_JWT_ISSUER");
        options.Audience = Setting("BENCH_JWT_AUDIENCE");
        options.Keys = [new JwtSigningKeyOptions { KeyId = key.KeyId, Algorithm = "HS256", Secret = Convert.ToBase64String(key.Secret) }];
    }

    private static (string KeyId, byte[] Secret) Key() =>
        (Setting("BENCH_JWT_KID"), Convert.FromBase64String(Setting("BENCH_JWT_SECRET")));

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set.");

    private sealed record RolesBody(string[] Roles);
}
