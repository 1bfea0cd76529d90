namespace RxInfer.Auth;

/// <summary>
/// A token just issued: its text, shown once and never stored by the library, and the identity it stands for.
/// </summary>
/// <param name="Token">The token text to hand to the client. Never log it.</param>
/// <param name="Identity">The identity the token authenticates as.</param>
public sealed record IssuedToken(string Token, TokenIdentity Identity)
{
    /// <summary>Keeps the token text out of logs and debugger displays.</summary>
    /// <returns>A description of the identity only.</returns>
    public override string ToString() => Identity.ToString();
}
