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

    /// <summary>The token's <c>nbf</c> is in the future beyond the allowed clock skew.</summary>
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
}
