namespace RxInfer.Auth;

/// <summary>
/// One way of making and checking access tokens (opaque, JWT). Exactly one is active; the public
/// <see cref="ITokenIssuer"/>, <see cref="ITokenValidator"/> and <see cref="ITokenRevoker"/> front it with
/// the development token, logging and metrics.
/// </summary>
internal interface ITokenProvider : ITokenIssuer, ITokenValidator, ITokenRevoker
{
    /// <summary>The provider's name, as in <see cref="TokenIdentity.IssuedBy"/>.</summary>
    string Name { get; }
}
