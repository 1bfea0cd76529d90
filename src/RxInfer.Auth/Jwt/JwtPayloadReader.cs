using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace RxInfer.Auth;

/// <summary>
/// The strict reader of a JWT payload's <c>sub</c>, <c>jti</c> and <c>roles</c>: pure (no state, no clock, no key),
/// never throws for any input.
/// </summary>
internal static class JwtPayloadReader
{
    private const int StackPayloadBytes = 1024;

    /// <summary>
    /// Reads <c>sub</c> and <c>jti</c> (non-empty strings) and <c>roles</c> (an array of non-empty strings) from the
    /// base64url <paramref name="encodedPayload"/>, strictly: a single string where an array belongs, a duplicate, a
    /// missing member or an empty value is <see cref="TokenRejectionReason.InvalidClaims"/>; a payload that is not
    /// base64url JSON of Unicode text is <see cref="TokenRejectionReason.Malformed"/>. On failure the outputs are empty.
    /// </summary>
    public static TokenRejectionReason TryReadClaims(ReadOnlySpan<char> encodedPayload, out string subject, out string tokenId, out List<string> roles)
    {
        // Decoded into a stack (or pooled) buffer: the strings read from it are copies, nothing else outlives it.
        var maxLength = Base64Url.GetMaxDecodedLength(encodedPayload.Length);
        byte[]? rented = null;
        var buffer = maxLength <= StackPayloadBytes ? stackalloc byte[StackPayloadBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            if (Base64Url.DecodeFromChars(encodedPayload, buffer, out _, out var written) != OperationStatus.Done)
            {
                (subject, tokenId, roles) = (string.Empty, string.Empty, []);
                return TokenRejectionReason.Malformed;
            }

            if (TryReadClaims(buffer[..written], out subject, out tokenId, out roles))
            {
                return TokenRejectionReason.None;
            }

            (subject, tokenId, roles) = (string.Empty, string.Empty, []);
            return TokenRejectionReason.InvalidClaims;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The reader's documented failures: not JSON, or a string that is not Unicode text.
            (subject, tokenId, roles) = (string.Empty, string.Empty, []);
            return TokenRejectionReason.Malformed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryReadClaims(ReadOnlySpan<byte> json, out string subject, out string tokenId, out List<string> roles)
    {
        subject = tokenId = string.Empty;
        roles = new List<string>(4);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool hasSubject = false, hasTokenId = false, hasRoles = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sub"u8))
            {
                if (hasSubject || !ReadString(ref reader, out subject))
                {
                    return false;
                }

                hasSubject = true;
            }
            else if (reader.ValueTextEquals("jti"u8))
            {
                if (hasTokenId || !ReadString(ref reader, out tokenId))
                {
                    return false;
                }

                hasTokenId = true;
            }
            else if (reader.ValueTextEquals("roles"u8))
            {
                if (hasRoles || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } role)
                    {
                        return false;
                    }

                    roles.Add(role);
                }

                hasRoles = true;
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                return false;
            }
        }

        return hasSubject && hasTokenId && hasRoles;
    }

    private static bool ReadString(ref Utf8JsonReader reader, out string value)
    {
        value = string.Empty;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } text)
        {
            return false;
        }

        value = text;
        return true;
    }
}
