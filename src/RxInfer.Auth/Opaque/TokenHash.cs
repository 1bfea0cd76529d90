using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RxInfer.Auth;

/// <summary>
/// The SHA-256 of a token's text: what stores keep and look tokens up by, so that a store never holds a
/// token. A 32-byte value type with constant-cost equality, usable as a dictionary key without allocating.
/// </summary>
public readonly struct TokenHash : IEquatable<TokenHash>
{
    /// <summary>The size of a hash in bytes (32).</summary>
    public const int Size = SHA256.HashSizeInBytes;

    private const int MaxStackTokenBytes = 256;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private TokenHash(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]);
    }

    /// <summary>Computes the hash of a token's text (its UTF-8 bytes).</summary>
    /// <param name="token">The token text.</param>
    /// <returns>The SHA-256 of the text.</returns>
    public static TokenHash Compute(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[Size];
        var byteCount = Encoding.UTF8.GetMaxByteCount(token.Length);
        if (byteCount <= MaxStackTokenBytes)
        {
            Span<byte> utf8 = stackalloc byte[MaxStackTokenBytes];
            var written = Encoding.UTF8.GetBytes(token, utf8);
            SHA256.HashData(utf8[..written], hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(token.ToArray()), hash);
        }

        return new TokenHash(hash);
    }

    /// <summary>Computes the hash of a token already narrowed to ASCII (the same bytes as its UTF-8).</summary>
    internal static TokenHash ComputeAscii(ReadOnlySpan<byte> ascii)
    {
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(ascii, hash);
        return new TokenHash(hash);
    }

    /// <summary>Reads a hash from its 32 bytes, for stores that persist hashes.</summary>
    /// <param name="hash">Exactly <see cref="Size"/> bytes.</param>
    /// <returns>The hash.</returns>
    public static TokenHash FromBytes(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != Size)
        {
            throw new ArgumentException($"A token hash is {Size} bytes, got {hash.Length}.", nameof(hash));
        }

        return new TokenHash(hash);
    }

    /// <summary>Reads a hash from 64 hexadecimal characters (either case), as written by <see cref="ToString"/>.</summary>
    /// <param name="hex">The hexadecimal text.</param>
    /// <param name="hash">The hash, when the text is valid.</param>
    /// <returns>Whether the text was 64 hexadecimal characters.</returns>
    public static bool TryParse(ReadOnlySpan<char> hex, out TokenHash hash)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (hex.Length != Size * 2 || Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            hash = default;
            return false;
        }

        hash = new TokenHash(bytes);
        return true;
    }

    /// <summary>Writes the 32 bytes of the hash.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _d);
    }

    /// <inheritdoc />
    public bool Equals(TokenHash other) => ((_a ^ other._a) | (_b ^ other._b) | (_c ^ other._c) | (_d ^ other._d)) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TokenHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    /// <summary>Bits independent of <see cref="GetHashCode"/>, for choosing a stripe of a striped store.</summary>
    internal uint StripeBits => (uint)(_d >> 32);

    /// <summary>The hash as 64 lowercase hexadecimal characters.</summary>
    /// <returns>The hexadecimal text.</returns>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Compares two hashes.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(TokenHash left, TokenHash right) => left.Equals(right);

    /// <summary>Compares two hashes.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(TokenHash left, TokenHash right) => !left.Equals(right);
}
