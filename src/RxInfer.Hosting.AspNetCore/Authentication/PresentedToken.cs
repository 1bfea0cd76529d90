using Microsoft.AspNetCore.Http;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// The outcome of validating the bearer token of the current request, kept for the rest of the request, so a token
/// is validated (and a rejection logged and counted by RxInfer.Auth) once per request however many parts of the
/// pipeline look at it: the authentication scheme, then <c>POST /token/generate</c>.
/// </summary>
internal static class PresentedToken
{
    private static readonly object Key = new();

    /// <summary>Validates <paramref name="token"/>, or returns the outcome already found for that token in this request.</summary>
    public static async ValueTask<TokenValidationOutcome> ValidateAsync(HttpContext context, string token, ITokenValidator validator)
    {
        if (context.Items.TryGetValue(Key, out var value) && value is Validated known && string.Equals(known.Token, token, StringComparison.Ordinal))
        {
            return known.Outcome;
        }

        var outcome = await validator.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false);
        context.Items[Key] = new Validated(token, outcome);
        return outcome;
    }

    private sealed record Validated(string Token, TokenValidationOutcome Outcome);
}
