using System.Text.Json;

namespace RxInfer.Auth;

/// <summary>
/// What <see cref="JwtPayloadReader"/> found in a payload it could read: the checks of <c>iss</c> and <c>aud</c>, the
/// time claims, and where <c>sub</c>, <c>jti</c> and <c>roles</c> lie in the decoded bytes (their strings are made
/// only for a token that passes, by <see cref="GetSubject"/>, <see cref="GetTokenId"/> and <see cref="AddRoles"/>).
/// The rules are split so the validator can give its reasons in IdentityModel's order: issuer, audience, the
/// shape of the times, the times against the clock, then the identity claims.
/// </summary>
internal struct JwtPayload
{
    /// <summary><c>iss</c> is a string equal (ordinal) to the expected issuer.</summary>
    public bool IssuerMatches;

    /// <summary><c>aud</c> is the expected audience, or an array of strings holding it.</summary>
    public bool AudienceMatches;

    /// <summary><c>exp</c> when it is an integer number of seconds.</summary>
    public long? Expires;

    /// <summary><c>iat</c> when it is an integer number of seconds.</summary>
    public long? IssuedAt;

    /// <summary><c>nbf</c> when it is present and an integer number of seconds.</summary>
    public long? NotBefore;

    /// <summary><c>nbf</c> is present but not an integer number of seconds.</summary>
    public bool NotBeforeIsInvalid;

    /// <summary><c>sub</c> when it is a string.</summary>
    public JwtJson.Text Subject;

    /// <summary><c>jti</c> when it is a string.</summary>
    public JwtJson.Text TokenId;

    /// <summary>Where the <c>roles</c> value starts (0 when absent).</summary>
    public int RolesStart;

    /// <summary>No claim read here appears twice; <c>exp</c> and <c>iat</c> are integers; <c>sub</c>, <c>jti</c> non-empty strings; <c>roles</c> an array of non-empty strings.</summary>
    public bool MembersAreWellFormed;

    /// <summary>
    /// <c>exp</c> and <c>iat</c> are present, integers and times a <see cref="DateTimeOffset"/> holds; <c>nbf</c>, when
    /// present, too, and not after <c>exp</c>. The clock is not looked at.
    /// </summary>
    public readonly bool TimesAreWellFormed =>
        Expires is { } exp && IssuedAt is { } iat && !NotBeforeIsInvalid
        && JwtLifetimeRules.IsEpochSeconds(exp) && JwtLifetimeRules.IsEpochSeconds(iat)
        && (NotBefore is not { } nbf || (JwtLifetimeRules.IsEpochSeconds(nbf) && nbf <= exp));

    /// <summary><c>sub</c>, <c>jti</c> and <c>roles</c> are present and well formed, and no claim read here appears twice.</summary>
    public readonly bool IdentityIsWellFormed => Subject.IsPresent && TokenId.IsPresent && RolesStart > 0 && MembersAreWellFormed;

    /// <summary>The subject's string; only when <see cref="IdentityIsWellFormed"/>, over the bytes that were read.</summary>
    public readonly string GetSubject(ReadOnlySpan<byte> json) => Subject.GetString(json);

    /// <summary>The token id's string; only when <see cref="IdentityIsWellFormed"/>, over the bytes that were read.</summary>
    public readonly string GetTokenId(ReadOnlySpan<byte> json) => TokenId.GetString(json);

    /// <summary>Adds the roles, in order; only when <see cref="IdentityIsWellFormed"/>, over the bytes that were read.</summary>
    public readonly void AddRoles(ReadOnlySpan<byte> json, List<string> roles)
    {
        var reader = new Utf8JsonReader(json[RolesStart..]);
        reader.Read(); // [
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            roles.Add(reader.GetString()!);
        }
    }
}
