namespace RxInfer.Auth;

/// <summary>Options of the development token (<c>dev-token</c>, <c>dev-token:r1,r2</c>).</summary>
public sealed class DevelopmentTokenOptions
{
    /// <summary>
    /// Whether <c>dev-token</c> authenticates. Anyone who knows it can pick any roles, so never enable it in
    /// production. Defaults to <see langword="false"/>; <c>AddDevelopmentToken()</c> sets it.
    /// </summary>
    public bool Enabled { get; set; }
}
