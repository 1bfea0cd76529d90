using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Wires <see cref="RxInferEndpointOptions.AnonymousTokensPerMinute"/> into ASP.NET Core's rate limiting: the policy's
/// registration (<c>AddRxInferEndpoints</c>), the endpoint's metadata (<c>MapRxInfer</c>), and a warning, once per
/// host, when an anonymous token is issued without the policy having run (the host did not call
/// <c>app.UseRateLimiter()</c>, or called it before routing).
/// </summary>
internal sealed class AnonymousTokenRateLimiting(IOptions<RxInferEndpointOptions> options)
{
    private static readonly object AppliedKey = new();

    private readonly int _tokensPerMinute = options.Value.AnonymousTokensPerMinute;
    private int _warned;

    /// <summary>Registers the policy (once, however often it is called) and this class.</summary>
    public static void Register(IServiceCollection services)
    {
        if (services.Any(static d => d.ServiceType == typeof(AnonymousTokenRateLimiting)))
        {
            return;
        }

        services.AddSingleton<AnonymousTokenRateLimiting>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddRateLimiter(static options =>
            options.AddPolicy<string, AnonymousTokenRateLimiterPolicy>(RxInferDefaults.AnonymousTokenRateLimiterPolicy));
    }

    /// <summary>
    /// Whether <c>POST /token/generate</c> answers the request with an anonymous token: no <c>Authorization</c> header
    /// and no <c>X-API-Key</c> header at all (any value of either, even empty or malformed, is a 401 instead).
    /// </summary>
    public static bool IsAnonymous(IHeaderDictionary headers) =>
        headers.Authorization.Count == 0 && headers[RxInferDefaults.ApiKeyHeader].Count == 0;

    /// <summary>Notes that the policy ran for this request.</summary>
    public static void MarkApplied(HttpContext context) => context.Items[AppliedKey] = AppliedKey;

    /// <summary>Logs a warning, the first time only, when the limit is on and the policy did not run for this anonymous request.</summary>
    public void WarnIfNotApplied(HttpContext context, ILogger logger)
    {
        if (_tokensPerMinute > 0 && !context.Items.ContainsKey(AppliedKey) && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            HostingLog.AnonymousTokenRateLimitNotApplied(logger, _tokensPerMinute);
        }
    }
}
