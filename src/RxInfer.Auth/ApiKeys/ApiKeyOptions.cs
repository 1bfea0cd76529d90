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
