using System.ComponentModel.DataAnnotations;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>Options of the endpoints mapped by <c>MapRxInfer()</c>.</summary>
public sealed class RxInferEndpointOptions
{
    /// <summary>
    /// The largest request body the endpoints read, in bytes; a larger one is a 400. Defaults to 65536 (64 KiB,
    /// <see cref="RxInferDefaults.MaxRequestBodySize"/>).
    /// </summary>
    public long MaxRequestBodySize { get; set; } = RxInferDefaults.MaxRequestBodySize;

    /// <summary>
    /// The authentication scheme that protects the endpoints. Defaults to <see cref="RxInferDefaults.AuthenticationScheme"/>.
    /// </summary>
    [Required]
    public string AuthenticationScheme { get; set; } = RxInferDefaults.AuthenticationScheme;

    /// <summary>
    /// How many tokens one client address may get anonymously (<c>POST /token/generate</c> with no
    /// <c>Authorization</c> and no <c>X-API-Key</c> header) per minute; the next one in the same minute is a 429 with
    /// <c>Retry-After</c>. Requests that present credentials are not counted. <c>0</c> turns the limit off. Needs
    /// <c>app.UseRateLimiter()</c> in the pipeline (ASP.NET Core's rate limiting middleware; the policy is
    /// <see cref="RxInferDefaults.AnonymousTokenRateLimiterPolicy"/>). Defaults to 60.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int AnonymousTokensPerMinute { get; set; } = 60;

    /// <summary>
    /// How long a client or cache may keep <c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c>
    /// (<c>Cache-Control: public, max-age</c>), from zero to one day. Keep a retired key in the ring at least this long
    /// after it stops signing. Defaults to 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DiscoveryCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The role that may revoke any token (<c>MapRxInferRevocation</c>), introspect tokens (<c>MapRxInferIntrospection</c>)
    /// and manage API keys (<c>MapRxInferApiKeys</c>). Defaults to <c>admin</c>.
    /// </summary>
    [Required]
    public string AdminRole { get; set; } = "admin";

    /// <summary>
    /// A second role that may introspect tokens, for resource servers that check tokens without being administrators.
    /// Defaults to <see langword="null"/>: only <see cref="AdminRole"/>.
    /// </summary>
    public string? IntrospectionRole { get; set; }

    /// <summary>
    /// The <c>server_edition</c> that <c>GET /info</c> reports. Defaults to <c>CommunityEdition</c>
    /// (<see cref="RxInferDefaults.ServerEdition"/>), as the original server; the sample host reads
    /// <c>RXINFER_SERVER_EDITION</c>.
    /// </summary>
    [Required]
    public string ServerEdition { get; set; } = RxInferDefaults.ServerEdition;
}
