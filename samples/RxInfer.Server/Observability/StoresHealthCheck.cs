using Microsoft.Extensions.Diagnostics.HealthChecks;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Server.Observability;

/// <summary>
/// Ready when every registered store answers a read: a lookup of a token hash that no token has, and the instances of
/// a subject that no token can have. In memory this always succeeds; on PostgreSQL each read is a query, so a
/// database that is down or refusing connections makes the host not ready (the store's
/// <see cref="ServiceUnavailableException"/>). The answer names the store, never a connection string.
/// </summary>
internal sealed class StoresHealthCheck(IServiceProvider services) : IHealthCheck
{
    // Subjects come from tokens and are never empty-looking like this; the probe reads nothing that exists.
    private const string ProbeSubject = "\u0000health-probe";

    // The hash of a text that is not a token (no token format allows the space): no stored token has it.
    private static readonly TokenHash ProbeHash = TokenHash.Compute("health probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failed = new List<string>();
        if (services.GetService<IOpaqueTokenStore>() is { } tokens)
        {
            await ProbeAsync("tokens", async () => await tokens.FindAsync(ProbeHash, cancellationToken).ConfigureAwait(false), failed).ConfigureAwait(false);
        }

        if (services.GetService<IModelInstanceStore>() is { } instances)
        {
            await ProbeAsync("model instances", async () => await instances.ListAsync(ProbeSubject, cancellationToken).ConfigureAwait(false), failed).ConfigureAwait(false);
        }

        return failed.Count == 0
            ? HealthCheckResult.Healthy("Every store answers")
            : HealthCheckResult.Unhealthy($"Not answering: {string.Join(", ", failed)}");
    }

    private static async Task ProbeAsync(string store, Func<Task> read, List<string> failed)
    {
        try
        {
            await read().ConfigureAwait(false);
        }
        catch (ServiceUnavailableException)
        {
            failed.Add(store);
        }
    }
}
