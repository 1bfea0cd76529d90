using System.Security.Cryptography;

namespace RxInfer.Auth;

/// <summary>
/// Random ids that are not secrets (token ids, key ids): base62 characters from <see cref="RandomNumberGenerator"/>,
/// shared by the opaque and the JWT providers.
/// </summary>
internal static class RandomId
{
    /// <summary>The characters of an id: ASCII digits and letters, safe in a URL, a header and a log line.</summary>
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Makes a random id of <paramref name="length"/> base62 characters.</summary>
    public static string Create(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
