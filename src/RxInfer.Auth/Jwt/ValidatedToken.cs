namespace RxInfer.Auth;

/// <summary>A validated JWT as cached: its identity built once, so a cache hit allocates nothing, and its <c>iat</c>.</summary>
internal sealed class ValidatedToken(TokenIdentity identity, DateTimeOffset issuedAt)
{
    public TokenIdentity Identity { get; } = identity;

    public DateTimeOffset IssuedAt { get; } = issuedAt;
}
