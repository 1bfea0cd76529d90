namespace RxInfer.Auth;

/// <summary>
/// Validates presented tokens. The hot path of every request: implementations never throw for bad input,
/// return a rejected <see cref="TokenValidationOutcome"/> instead, and avoid allocating on the valid path.
/// </summary>
public interface ITokenValidator
{
    /// <summary>Validates <paramref name="token"/>.</summary>
    /// <param name="token">The token text exactly as presented (already stripped of the <c>Bearer</c> scheme).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Valid with the identity, or rejected with one reason.</returns>
    ValueTask<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken = default);
}
