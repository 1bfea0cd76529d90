using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;
using RxInfer.Models;
using RxInfer.Server.ApiReference;
using RxInfer.Server.Cors;
using RxInfer.Server.Observability;
using RxInfer.Server.Runtimes;
using RxInfer.Server.TestModels;
using RxInfer.Storage.PostgreSql;

/// <summary>
/// The sample host. <see cref="CreateApp"/> builds the whole application, so tests can host it on a test server or
/// on Kestrel with their own settings (command-line style arguments such as <c>--RXINFER_SERVER_PORT=0</c>).
/// </summary>
public partial class Program
{
    /// <summary>The listen port variable. Defaults to 8000.</summary>
    public const string PortVariable = "RXINFER_SERVER_PORT";

    /// <summary>The development token switch: <c>true</c> in any case enables <c>dev-token</c>. Defaults to off.</summary>
    public const string DevelopmentTokenVariable = "RXINFER_SERVER_ENABLE_DEV_TOKEN";

    /// <summary>The <c>:</c>-separated model folders. Defaults to the <c>models</c> folder next to the app.</summary>
    public const string ModelsLocationsVariable = "RXINFER_SERVER_MODELS_LOCATIONS";

    /// <summary>
    /// The connection string that puts tokens, API keys, revocations and model instances (with their episodes and events)
    /// on PostgreSQL: <c>ConnectionStrings:RxInfer</c>
    /// (environment <c>ConnectionStrings__RxInfer</c>). Unset or empty: everything stays in memory.
    /// </summary>
    public const string ConnectionStringVariable = "ConnectionStrings__" + PostgreSqlStoreOptions.ConnectionStringName;

    /// <summary>
    /// Anonymous tokens one client address may get per minute (<c>RxInfer:Endpoints:AnonymousTokensPerMinute</c>);
    /// <c>0</c> turns the limit off. Defaults to 60.
    /// </summary>
    public const string AnonymousTokensPerMinuteVariable = "RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE";

    /// <summary>The <c>server_edition</c> of <c>GET /v1/info</c>. Defaults to <c>CommunityEdition</c>.</summary>
    public const string EditionVariable = "RXINFER_SERVER_EDITION";

    /// <summary>The test models switch: <c>true</c> in any case also loads the protocol's five test models. Defaults to off.</summary>
    public const string LoadTestModelsVariable = TestModelsRegistration.Variable;

    private const int DefaultPort = 8000;

    /// <summary>One child per external OpenID Connect issuer whose tokens the sample accepts beside its own.</summary>
    private const string ExternalIssuersSection = "RxInfer:Auth:OpenIdConnect";

    /// <summary>Builds the host: <c>/v1</c> API, <c>/v1/ping</c>, OpenAPI at <c>/openapi/v1.json</c>.</summary>
    /// <param name="args">Command-line arguments; they override environment variables and <c>appsettings.json</c>.</param>
    /// <param name="configure">Changes the builder before the app is built (tests use it to pick a test server).</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;

        var port = ReadPort(configuration[PortVariable]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        var rxinfer = builder.Services.AddRxInfer(configuration); // RxInfer:Auth (Provider: Opaque or Jwt), RxInfer:Models, RxInfer:Endpoints
        rxinfer.Models.AddSampleModelRuntimes(); // Runtimes/: coin-toss-v1 (Beta-Bernoulli), sensor-smoothing-v1 (Kalman filter)
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(PostgreSqlStoreOptions.ConnectionStringName)))
        {
            rxinfer.Auth.AddPostgreSqlStores(); // every store: tokens, keys, revocations, model instances; ConnectionStrings:RxInfer, RxInfer:PostgreSql
        }

        foreach (var issuer in configuration.GetSection(ExternalIssuersSection).GetChildren())
        {
            rxinfer.Auth.AddOpenIdConnectIssuer(issuer.Key); // RxInfer:Auth:OpenIdConnect:<name>:Authority, Audience, ...
        }

        var developmentToken = bool.TryParse(configuration[DevelopmentTokenVariable]?.Trim(), out var enabled) && enabled;
        if (developmentToken)
        {
            rxinfer.Auth.AddDevelopmentToken();
        }

        var locations = (configuration[ModelsLocationsVariable] ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (locations.Length == 0)
        {
            locations = [Path.Combine(AppContext.BaseDirectory, "models")];
        }

        builder.Services.Configure<RxInferModelsOptions>(options => options.Locations = locations);
        if (ReadAnonymousTokensPerMinute(configuration[AnonymousTokensPerMinuteVariable]) is { } tokensPerMinute)
        {
            builder.Services.Configure<RxInferEndpointOptions>(options => options.AnonymousTokensPerMinute = tokensPerMinute);
        }

        TestModelsRegistration.AddIfEnabled(configuration, rxinfer.Models);
        if (configuration[EditionVariable] is { } edition && !string.IsNullOrWhiteSpace(edition))
        {
            builder.Services.Configure<RxInferEndpointOptions>(options => options.ServerEdition = edition.Trim());
        }

        builder.Services.AddOpenApi(SampleApiReference.AddBearerSecurity); // ApiReference/: the bearer scheme for /swagger/
        builder.Services.AddSampleCors(configuration); // Cors/: RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_*
        builder.Services.AddSampleObservability(configuration); // Observability/: health checks; OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set
        builder.Services.AddSingleton(new StartupBanner(Console.Out));

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(); // before authentication: a preflight needs no token
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // anonymous POST /v1/token/generate: RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE per client address

        app.MapOpenApi();
        app.UseSampleApiReference(); // ApiReference/: Swagger UI at /swagger/, from the package's embedded files
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/ping", static () => TypedResults.Ok(new Dictionary<string, string> { ["status"] = "ok" }))
            .WithName("pingServer")
            .WithTags("Server")
            .AllowAnonymous();
        v1.MapRxInfer();
        if (app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(JwtKeyPublication)))
        {
            app.MapRxInferDiscovery(); // JWT mode: /.well-known/openid-configuration and jwks.json, for other services and hosts
        }

        app.MapSampleHealth(); // /health/live, /health/ready

        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<StartupBanner>().Write(app));
        return app;
    }

    private static int ReadPort(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultPort;
        }

        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new InvalidOperationException($"{PortVariable} must be a port number from 0 to 65535, not '{value}'.");
        }

        return port;
    }

    private static int? ReadAnonymousTokensPerMinute(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null; // RxInfer:Endpoints:AnonymousTokensPerMinute (appsettings.json), 60 by default
        }

        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var perMinute))
        {
            throw new InvalidOperationException($"{AnonymousTokensPerMinuteVariable} must be a whole number of tokens a minute, 0 to turn the limit off, not '{value}'.");
        }

        return perMinute;
    }

    /// <summary>Where the app keeps its state, for the start-up banner: PostgreSQL (server, never the password) or memory.</summary>
    /// <param name="services">The app's services.</param>
    /// <returns>One line.</returns>
    public static string DescribeStorage(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<IConfigureOptions<PostgreSqlStoreOptions>>() is null)
        {
            return $"Storage: memory (tokens, API keys, revocations and model instances with their episodes and events are lost on restart; set {ConnectionStringVariable} to use PostgreSQL)";
        }

        var options = services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        return $"Storage: PostgreSQL at {options.DescribeServer()}, schema {options.Schema} (tokens, API keys, revocations, model instances with their episodes and events)";
    }
}
