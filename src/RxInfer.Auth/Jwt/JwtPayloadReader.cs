using System.Text.Json;
using System.Text.Unicode;

namespace RxInfer.Auth;

/// <summary>
/// The strict reader of a JWT payload: pure (no key, no clock, no state), one pass with <see cref="Utf8JsonReader"/>
/// over the decoded bytes, never throws. <c>iss</c> and <c>aud</c> are compared, the time claims read, <c>sub</c>,
/// <c>jti</c> and <c>roles</c> located and checked (no strings are made); every other member is checked to be
/// readable. What the claims mean against a key and a clock is <see cref="JwtCompactValidator"/>'s.
/// </summary>
/// <remarks>
/// Stricter than <c>JsonWebTokenHandler</c>, never looser: the payload must be a JSON object of valid UTF-8 with
/// nothing after it; every string, known or not, must unescape to Unicode text; every number must fit a double; a
/// claim read here that appears twice, a time that is not an integer, a <c>sub</c> or <c>jti</c> that is not a
/// non-empty string and <c>roles</c> that is not an array of non-empty strings are noted (not refused here), so the
/// validator gives the signature's reason first.
/// </remarks>
internal static class JwtPayloadReader
{
    /// <summary>
    /// Reads <paramref name="json"/>, the decoded payload. <see cref="TokenRejectionReason.Malformed"/> when it is not a
    /// JSON object of Unicode text (<paramref name="payload"/> is then empty); otherwise
    /// <see cref="TokenRejectionReason.None"/> and what was found in <paramref name="payload"/>.
    /// </summary>
    /// <param name="json">The decoded payload bytes.</param>
    /// <param name="issuer">The expected <c>iss</c>, UTF-8.</param>
    /// <param name="audience">The expected <c>aud</c>, UTF-8.</param>
    /// <param name="payload">What was found.</param>
    public static TokenRejectionReason Read(ReadOnlySpan<byte> json, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> audience, out JwtPayload payload)
    {
        payload = default;
        try
        {
            if (Utf8.IsValid(json) && TryRead(json, issuer, audience, ref payload))
            {
                return TokenRejectionReason.None;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The reader's documented failures: not JSON, too deep, a string that is not Unicode text.
        }

        payload = default;
        return TokenRejectionReason.Malformed;
    }

    private static bool TryRead(ReadOnlySpan<byte> json, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> audience, ref JwtPayload fields)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = new JwtJson.MemberSet();
        var wellFormed = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = reader.ValueTextEquals("iss"u8) ? 0
                : reader.ValueTextEquals("aud"u8) ? 1
                : reader.ValueTextEquals("exp"u8) ? 2
                : reader.ValueTextEquals("iat"u8) ? 3
                : reader.ValueTextEquals("nbf"u8) ? 4
                : reader.ValueTextEquals("sub"u8) ? 5
                : reader.ValueTextEquals("jti"u8) ? 6
                : reader.ValueTextEquals("roles"u8) ? 7
                : -1;
            if (member < 0)
            {
                if (!JwtJson.CheckMember(ref reader))
                {
                    return false;
                }

                continue;
            }

            if (!reader.Read())
            {
                return false;
            }

            if (!seen.Add(member))
            {
                wellFormed = false; // A duplicate claim: IdentityModel would read one of the two.
            }

            switch (member)
            {
                case 0:
                    fields.IssuerMatches = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(issuer);
                    break;
                case 1:
                    fields.AudienceMatches = ReadAudience(ref reader, audience);
                    continue; // The value is read whole.
                case 2:
                    fields.Expires = ReadSeconds(ref reader);
                    wellFormed &= fields.Expires is not null;
                    break;
                case 3:
                    fields.IssuedAt = ReadSeconds(ref reader);
                    wellFormed &= fields.IssuedAt is not null;
                    break;
                case 4:
                    fields.NotBefore = ReadSeconds(ref reader);
                    fields.NotBeforeIsInvalid = fields.NotBefore is null;
                    break;
                case 5:
                    fields.Subject = JwtJson.Text.Of(ref reader);
                    wellFormed &= fields.Subject.IsPresent && fields.Subject.Length > 0;
                    break;
                case 6:
                    fields.TokenId = JwtJson.Text.Of(ref reader);
                    wellFormed &= fields.TokenId.IsPresent && fields.TokenId.Length > 0;
                    break;
                case 7:
                    fields.RolesStart = (int)reader.TokenStartIndex;
                    wellFormed &= ReadRoles(ref reader);
                    continue; // The value is read whole.
            }

            if (!JwtJson.CheckValue(ref reader))
            {
                return false;
            }
        }

        fields.MembersAreWellFormed = wellFormed;
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
    }

    /// <summary><c>aud</c>: the audience as a string, or an array of strings holding it; the whole value is read.</summary>
    private static bool ReadAudience(ref Utf8JsonReader reader, ReadOnlySpan<byte> audience)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var matches = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(audience);
            return JwtJson.CheckValue(ref reader) ? matches : throw new JsonException();
        }

        var found = false;
        var allStrings = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            allStrings &= reader.TokenType == JsonTokenType.String;
            found |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(audience);
            if (!JwtJson.CheckValue(ref reader))
            {
                throw new JsonException();
            }
        }

        return found && allStrings;
    }

    /// <summary><c>roles</c>: an array of non-empty strings, each readable; the whole value is read. False for any other shape.</summary>
    private static bool ReadRoles(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JwtJson.CheckValue(ref reader) ? false : throw new JsonException();
        }

        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            valid &= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            if (!JwtJson.CheckValue(ref reader))
            {
                throw new JsonException();
            }
        }

        return valid;
    }

    private static long? ReadSeconds(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) ? seconds : null;
}
