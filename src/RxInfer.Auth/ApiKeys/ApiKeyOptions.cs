namespace RxInfer.Auth;

/// <summary>Options of API keys: long-lived opaque keys, stored hashed, exchanged for access tokens.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The text every API key starts with. Defaults to <c>rxk_</c> (<see cref="RxInferAuthDefaults.ApiKeyPrefix"/>).</summary>
    public string Prefix { get; set; } = RxInferAuthDefaults.ApiKeyPrefix;

    /// <summary>How long a key created with <see cref="IApiKeyService.CreateAsync"/> is valid. Defaults to 365 days.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Keys known from configuration, by the SHA-256 of their text (never the text). Loaded into the
    /// <see cref="IApiKeyStore"/> on first use. Defaults to none.
    /// </summary>
    public IList<ConfiguredApiKey> Keys { get; set; } = [];
}

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
