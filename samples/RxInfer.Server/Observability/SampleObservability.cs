using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Server.Observability;

/// <summary>
/// What an operator watches: OpenTelemetry traces and metrics sent over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (nothing is collected otherwise), and two health endpoints: <c>/health/live</c> (the process answers) and
/// <c>/health/ready</c> (every store answers; on PostgreSQL that means the database does).
/// </summary>
internal static class SampleObservability
{
    /// <summary>The OTLP endpoint setting of the OpenTelemetry specification (environment or command line).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    private const string ReadyTag = "ready";

    /// <summary>Adds the health checks, and OpenTelemetry with the OTLP exporter when an endpoint is configured.</summary>
    public static IServiceCollection AddSampleObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHealthChecks().AddCheck<StoresHealthCheck>("stores", tags: [ReadyTag]);
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            return services;
        }

        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS (and the other OTEL_* settings) itself.
        services.AddOpenTelemetry()
            .ConfigureResource(static resource => resource.AddService("RxInfer.Server"))
            .WithTracing(static tracing => tracing
                .AddSource(RxInferAuthDefaults.ActivitySourceName, RxInferModelsDefaults.ActivitySourceName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter())
            .WithMetrics(static metrics => metrics
                .AddMeter(RxInferAuthDefaults.MeterName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        return services;
    }

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c>: anonymous, 200 <c>Healthy</c> or 503 <c>Unhealthy</c>.</summary>
    public static void MapSampleHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = static _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = static check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
    }
}
