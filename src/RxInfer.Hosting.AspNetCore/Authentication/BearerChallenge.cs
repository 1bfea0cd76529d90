using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>Writes the contract's 401: the JSON body and an RFC 6750 <c>WWW-Authenticate: Bearer</c> challenge.</summary>
internal static class BearerChallenge
{
    // One header text per reason, built once: a rejection allocates no string (a flood of bad tokens is the common case).
    private static readonly FrozenDictionary<TokenRejectionReason, string> Described =
        Enum.GetValues<TokenRejectionReason>().ToFrozenDictionary(static reason => reason, static reason => $"Bearer error=\"invalid_token\", error_description=\"{Describe(reason)}\"");

    /// <summary>Writes the 401.</summary>
    /// <param name="context">The request.</param>
    /// <param name="developmentTokenEnabled">Whether the message mentions the development token.</param>
    /// <param name="rejection">Why a presented token was rejected; <see cref="TokenRejectionReason.None"/> when none was presented.</param>
    /// <param name="includeDescription">Whether a rejection carries <c>error_description</c>.</param>
    public static Task WriteAsync(HttpContext context, bool developmentTokenEnabled, TokenRejectionReason rejection, bool includeDescription = true)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = rejection switch
        {
            TokenRejectionReason.None => "Bearer",
            _ when includeDescription => Described.TryGetValue(rejection, out var header) ? header : $"Bearer error=\"invalid_token\", error_description=\"{Describe(rejection)}\"",
            _ => "Bearer error=\"invalid_token\"",
        };
        return RxInferErrors.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, RxInferErrors.UnauthorizedText(developmentTokenEnabled));
    }

    /// <summary>A short, quote-free description of why a presented token was rejected; never contains the token.</summary>
    public static string Describe(TokenRejectionReason reason) => reason switch
    {
        TokenRejectionReason.Malformed => "The token is malformed",
        TokenRejectionReason.Unknown => "The token is not recognised",
        TokenRejectionReason.Expired => "The token has expired",
        TokenRejectionReason.NotYetValid => "The token is not valid yet",
        TokenRejectionReason.Revoked => "The token has been revoked",
        TokenRejectionReason.InvalidSignature => "The token signature is invalid",
        TokenRejectionReason.InvalidAlgorithm => "The token signing algorithm is not allowed",
        TokenRejectionReason.InvalidIssuer => "The token issuer is invalid",
        TokenRejectionReason.InvalidAudience => "The token audience is invalid",
        TokenRejectionReason.InvalidType => "The token type is invalid",
        TokenRejectionReason.InvalidClaims => "The token claims are invalid",
        TokenRejectionReason.TooLarge => "The token is too large",
        _ => "The token is invalid",
    };
}
