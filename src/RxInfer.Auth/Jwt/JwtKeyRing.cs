using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace RxInfer.Auth;

/// <summary>
/// The keys of <see cref="JwtTokenOptions.Keys"/> as IdentityModel keys: every key validates, one signs. Also
/// the single place that reads a key from its options, shared by the options validator and the provider.
/// </summary>
internal sealed class JwtKeyRing
{
    public const string HS256 = SecurityAlgorithms.HmacSha256;
    public const string RS256 = SecurityAlgorithms.RsaSha256;
    public const string ES256 = SecurityAlgorithms.EcdsaSha256;

    /// <summary>The smallest HS256 secret: 32 bytes, the size of the hash.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>The smallest RSA key: 2048 bits (IdentityModel refuses smaller keys for signing).</summary>
    public const int MinRsaKeyBits = 2048;

    private JwtKeyRing(List<(SecurityKey Key, string Algorithm)> keys, SigningCredentials signing)
    {
        Keys = keys;
        Algorithms = [.. keys.Select(static k => k.Algorithm).Distinct(StringComparer.Ordinal)];
        Signing = signing;
    }

    /// <summary>Every key of the ring with its algorithm; each validates the tokens that name it (by <c>kid</c>).</summary>
    public IReadOnlyList<(SecurityKey Key, string Algorithm)> Keys { get; }

    /// <summary>The allow-list: exactly the algorithms of the keys in the ring.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    /// <summary>The key that signs, with its algorithm.</summary>
    public SigningCredentials Signing { get; }

    /// <summary>Builds the ring from validated options (the validator has already named every problem).</summary>
    public static JwtKeyRing Create(JwtTokenOptions options)
    {
        var keys = new List<(SecurityKey, string)>(options.Keys.Length);
        SigningCredentials? signing = null;
        var signingKeyId = options.SigningKeyId ?? options.Keys[0].KeyId;
        foreach (var keyOptions in options.Keys)
        {
            if (!TryCreateKey(keyOptions, out var key, out var canSign, out var error))
            {
                throw new InvalidOperationException(error);
            }

            var algorithm = keyOptions.Algorithm!;
            keys.Add((key, algorithm));
            if (canSign && string.Equals(key.KeyId, signingKeyId, StringComparison.Ordinal))
            {
                signing = new SigningCredentials(key, algorithm);
            }
        }

        return new JwtKeyRing(keys, signing ?? throw new InvalidOperationException($"RxInfer:Auth:Jwt:SigningKeyId '{signingKeyId}' names no key that can sign."));
    }

    /// <summary>A ring of one ES256 key made in memory, for development (<see cref="JwtTokenOptions.GenerateEphemeralKey"/>).</summary>
    public static JwtKeyRing CreateEphemeral()
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            KeyId = "ephemeral-" + OpaqueTokenFormat.CreateId(12),
        };
        return new JwtKeyRing([(key, ES256)], new SigningCredentials(key, ES256));
    }

    /// <summary>
    /// Reads one key. On failure <paramref name="error"/> says what is wrong without the setting's prefix (the
    /// caller names the setting) and never repeats the secret or the PEM.
    /// </summary>
    public static bool TryCreateKey(
        JwtSigningKeyOptions options,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SecurityKey? key,
        out bool canSign,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        key = null;
        canSign = false;
        error = null;
        switch (options.Algorithm)
        {
            case HS256:
                if (!string.IsNullOrEmpty(options.Pem))
                {
                    error = "Pem is not used by HS256; set Secret (base64).";
                    return false;
                }

                if (string.IsNullOrEmpty(options.Secret))
                {
                    error = "Secret is required for HS256 (base64, at least 32 bytes decoded).";
                    return false;
                }

                var secret = new byte[(options.Secret.Length * 3 / 4) + 3];
                if (!Convert.TryFromBase64String(options.Secret, secret, out var length))
                {
                    error = "Secret is not valid base64.";
                    return false;
                }

                if (length < MinSecretBytes)
                {
                    error = $"Secret is {length} bytes once decoded; HS256 needs at least {MinSecretBytes}.";
                    return false;
                }

                key = new SymmetricSecurityKey(secret.AsSpan(0, length).ToArray()) { KeyId = options.KeyId };
                canSign = true;
                return true;

            case RS256:
            case ES256:
                if (!string.IsNullOrEmpty(options.Secret))
                {
                    error = $"Secret is only for HS256; {options.Algorithm} takes a Pem.";
                    return false;
                }

                if (string.IsNullOrWhiteSpace(options.Pem))
                {
                    error = $"Pem is required for {options.Algorithm}.";
                    return false;
                }

                return options.Algorithm == RS256
                    ? TryReadRsa(options, out key, out canSign, out error)
                    : TryReadEcdsa(options, out key, out canSign, out error);

            default:
                error = $"Algorithm '{options.Algorithm}' is not supported; use HS256, RS256 or ES256.";
                return false;
        }
    }

    private static bool TryReadRsa(JwtSigningKeyOptions options, out SecurityKey? key, out bool canSign, out string? error) =>
        TryReadPem(
            options,
            RSA.Create,
            "Pem is not an RSA key (an unencrypted PKCS#8/PKCS#1 private key or a public key).",
            static bits => bits < MinRsaKeyBits ? $"Pem is a {bits}-bit RSA key; RS256 needs at least {MinRsaKeyBits} bits." : null,
            static rsa => new RsaSecurityKey(rsa),
            out key,
            out canSign,
            out error);

    private static bool TryReadEcdsa(JwtSigningKeyOptions options, out SecurityKey? key, out bool canSign, out string? error) =>
        TryReadPem(
            options,
            ECDsa.Create,
            "Pem is not an EC key (an unencrypted PKCS#8/SEC1 private key or a public key).",
            static bits => bits != 256 ? $"Pem is a {bits}-bit EC key; ES256 needs a P-256 key." : null,
            static ecdsa => new ECDsaSecurityKey(ecdsa),
            out key,
            out canSign,
            out error);

    /// <summary>Imports an RSA or EC key from <see cref="JwtSigningKeyOptions.Pem"/> and checks its size; a private key can sign.</summary>
    private static bool TryReadPem<TAlgorithm>(
        JwtSigningKeyOptions options,
        Func<TAlgorithm> create,
        string notThisKind,
        Func<int, string?> checkSize,
        Func<TAlgorithm, SecurityKey> wrap,
        out SecurityKey? key,
        out bool canSign,
        out string? error)
        where TAlgorithm : AsymmetricAlgorithm
    {
        key = null;
        canSign = false;
        if (!TryFindPem(options.Pem!, out var isPrivate, out error))
        {
            return false;
        }

        var algorithm = create();
        try
        {
            algorithm.ImportFromPem(options.Pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            algorithm.Dispose();
            error = notThisKind;
            return false;
        }

        error = checkSize(algorithm.KeySize);
        if (error is not null)
        {
            algorithm.Dispose();
            return false;
        }

        key = wrap(algorithm);
        key.KeyId = options.KeyId;
        canSign = isPrivate;
        return true;
    }

    private static bool TryFindPem(string pem, out bool isPrivate, out string? error)
    {
        isPrivate = false;
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            error = "Pem is not PEM text (-----BEGIN ...-----).";
            return false;
        }

        var label = pem.AsSpan()[fields.Label];
        isPrivate = label.Contains("PRIVATE KEY", StringComparison.Ordinal);
        error = null;
        return true;
    }
}
