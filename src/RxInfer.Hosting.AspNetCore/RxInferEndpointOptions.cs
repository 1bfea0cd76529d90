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
    public string AuthenticationScheme { get; set; } = RxInferDefaults.AuthenticationScheme;

    /// <summary>
    /// How long a client or cache may keep <c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c>
    /// (<c>Cache-Control: public, max-age</c>), from zero to one day. Keep a retired key in the ring at least this long
    /// after it stops signing. Defaults to 5 minutes.
    /// </summary>
    public TimeSpan DiscoveryCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
