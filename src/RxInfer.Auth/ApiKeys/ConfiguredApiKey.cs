namespace RxInfer.Auth;

/// <summary>An API key known from configuration.</summary>
public sealed class ConfiguredApiKey
{
    /// <summary>The key's id: shown in logs and used to revoke it.</summary>
    public string Id { get; set; } = "";

    /// <summary>The subject that tokens exchanged for this key act as.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The roles that tokens exchanged for this key carry; at least one.</summary>
    public IList<string> Roles { get; set; } = [];

    /// <summary>The SHA-256 of the key's text, as 64 hexadecimal characters (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>When the key stops working; <see langword="null"/> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
