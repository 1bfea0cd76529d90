namespace RxInfer.Auth;

/// <summary>What validating a token not seen before gives: a reason to reject it, or the token to admit.</summary>
internal readonly record struct JwtValidationResult(TokenRejectionReason Reason, ValidatedToken? Token)
{
    public static JwtValidationResult Rejected(TokenRejectionReason reason) => new(reason, null);

    public static JwtValidationResult Accepted(ValidatedToken token) => new(TokenRejectionReason.None, token);
}
