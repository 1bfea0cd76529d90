using System.ComponentModel.DataAnnotations;

namespace RxInfer.Auth;

/// <summary>Options of the opaque access-token provider (the embedded default).</summary>
public sealed class OpaqueTokenOptions
{
    /// <summary>
    /// The text every token starts with: an ASCII letter, letters or digits, and a final <c>_</c>, 2 to 16
    /// characters. Defaults to <c>rxi_</c> (<see cref="RxInferAuthDefaults.AccessTokenPrefix"/>).
    /// </summary>
    public string Prefix { get; set; } = RxInferAuthDefaults.AccessTokenPrefix;

    /// <summary>
    /// The most access tokens the store holds (per process for the in-memory store, per database for a shared one);
    /// issuing one more, anonymously or not, throws <see cref="ServiceUnavailableException"/> (HTTP 503 with
    /// <c>Retry-After</c>) and logs a warning. Expired tokens count until they are swept (at most a minute in memory).
    /// <c>0</c> means no limit. Defaults to 1,000,000 (about 180 MB in memory).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxTokens { get; set; } = 1_000_000;
}
