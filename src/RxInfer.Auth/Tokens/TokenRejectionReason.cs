namespace RxInfer.Auth;

/// <summary>Why a presented token was not accepted. Safe to log; never contains the token.</summary>
public enum TokenRejectionReason
{
    /// <summary>The token was accepted.</summary>
    None = 0,

    /// <summary>The text is not a token of any configured format (wrong prefix, length, characters, checksum or structure).</summary>
    Malformed,

    /// <summary>The text is well formed but no such token was issued, or it was revoked and forgotten.</summary>
    Unknown,

    /// <summary>The token's lifetime has ended.</summary>
    Expired,

    /// <summary>The token's <c>nbf</c>, or its <c>iat</c>, is in the future beyond the allowed clock skew.</summary>
    NotYetValid,

    /// <summary>The token was revoked.</summary>
    Revoked,

    /// <summary>The signature does not verify, or names a key that is not in the key ring.</summary>
    InvalidSignature,

    /// <summary>The signing algorithm is not on the allow-list.</summary>
    InvalidAlgorithm,

    /// <summary>The issuer (<c>iss</c>) is not the expected one.</summary>
    InvalidIssuer,

    /// <summary>The audience (<c>aud</c>) is not the expected one.</summary>
    InvalidAudience,

    /// <summary>The token type (<c>typ</c> header) is not the expected one.</summary>
    InvalidType,

    /// <summary>A required claim is missing or has the wrong type.</summary>
    InvalidClaims,

    /// <summary>The token is longer than the configured maximum.</summary>
    TooLarge,

    /// <summary>
    /// The token lives longer than this host accepts (<c>exp - iat</c> or <c>exp - nbf</c> above the JWT provider's
    /// <c>MaxLifetime</c> plus its clock skew): longer than its revocation would be remembered.
    /// </summary>
    LifetimeTooLong,

    /// <summary>
    /// The token's <c>crit</c> header lists an extension this validator does not understand (RFC 7515 §4.1.11); it
    /// understands none, so any such token is refused.
    /// </summary>
    UnsupportedCriticalExtension,

    /// <summary>No validation took place: the reason of <c>default(TokenValidationOutcome)</c>, which is not valid.</summary>
    NotValidated,
}
