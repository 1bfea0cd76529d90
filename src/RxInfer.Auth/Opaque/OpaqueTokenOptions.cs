namespace RxInfer.Auth;

/// <summary>Options of the opaque access-token provider (the embedded default).</summary>
public sealed class OpaqueTokenOptions
{
    /// <summary>
    /// The text every token starts with: an ASCII letter, letters or digits, and a final <c>_</c>, 2 to 16
    /// characters. Defaults to <c>rxi_</c> (<see cref="RxInferAuthDefaults.AccessTokenPrefix"/>).
    /// </summary>
    public string Prefix { get; set; } = RxInferAuthDefaults.AccessTokenPrefix;
}
