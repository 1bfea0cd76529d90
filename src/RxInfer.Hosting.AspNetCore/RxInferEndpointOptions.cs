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
    /// The <c>server_edition</c> that <c>GET /info</c> reports. Defaults to <c>CommunityEdition</c>
    /// (<see cref="RxInferDefaults.ServerEdition"/>), as the original server; the sample host reads
    /// <c>RXINFER_SERVER_EDITION</c>.
    /// </summary>
    public string ServerEdition { get; set; } = RxInferDefaults.ServerEdition;
}
