using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using RxInfer.OptionsValidation;

namespace RxInfer.Auth;

/// <summary>
/// The keys of <see cref="JwtTokenOptions.Keys"/> as IdentityModel keys: every key validates, one signs. Read by
/// <see cref="JwtKeyRingSource"/> only, once for the options validator and the provider together.
/// </summary>
/// <remarks>
/// The ring owns what it creates: the RSA and ECDsa objects behind its keys and one <see cref="CryptoProviderFactory"/>
/// that every key uses, with the ring's own cache of signature providers (<see cref="JwtSignatureProviderCache"/>),
/// all disposed with the ring. The factory is the ring's own because IdentityModel's shared one
/// (<see cref="CryptoProviderFactory.Default"/>) caches signature providers by key material: a provider made for a
/// disposed key would be found again by another ring (another host in the same process) with the same key.
/// </remarks>
internal sealed class JwtKeyRing : IDisposable
{
    public const string HS256 = SecurityAlgorithms.HmacSha256;
    public const string RS256 = SecurityAlgorithms.RsaSha256;
    public const string ES256 = SecurityAlgorithms.EcdsaSha256;

    /// <summary>The smallest HS256 secret: 32 bytes, the size of the hash.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>The smallest RSA key: 2048 bits (IdentityModel refuses smaller keys for signing).</summary>
    public const int MinRsaKeyBits = 2048;

    private readonly List<AsymmetricAlgorithm> _owned;
    private readonly JwtSignatureProviderCache _signatureProviders = new();

    private JwtKeyRing(List<(SecurityKey Key, string Algorithm)> keys, SigningCredentials signing, List<AsymmetricAlgorithm> owned, bool isEphemeral)
    {
        var factory = new CryptoProviderFactory(_signatureProviders);
        foreach (var (key, _) in keys)
        {
            key.CryptoProviderFactory = factory;
        }

        Keys = keys;
        Algorithms = [.. keys.Select(static k => k.Algorithm).Distinct(StringComparer.Ordinal)];
        Signing = signing;
        IsEphemeral = isEphemeral;
        _owned = owned;
    }

    /// <summary>Every key of the ring with its algorithm; each validates the tokens that name it (by <c>kid</c>).</summary>
    public IReadOnlyList<(SecurityKey Key, string Algorithm)> Keys { get; }

    /// <summary>The allow-list: exactly the algorithms of the keys in the ring.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    /// <summary>The key that signs, with its algorithm.</summary>
    public SigningCredentials Signing { get; }

    /// <summary>Whether the ring is one key made in memory (<see cref="JwtTokenOptions.GenerateEphemeralKey"/>).</summary>
    public bool IsEphemeral { get; }

    /// <summary>The ring's signature providers (a test seam).</summary>
    internal JwtSignatureProviderCache SignatureProviders => _signatureProviders;

    /// <summary>
    /// Reads every key of <paramref name="options"/> once. Returns the ring, or <see langword="null"/> with every
    /// problem added to <paramref name="errors"/> as a message that names the setting and never repeats a secret or
    /// a PEM. Keys read before a problem was found are disposed.
    /// </summary>
    /// <param name="options">The options holding the keys.</param>
    /// <param name="errors">Receives every problem found.</param>
    /// <param name="source">Where the options came from: messages name the property (<c>JwtTokenOptions.Keys[0].Pem</c>),
    /// and the configuration path too when the options were bound from configuration.</param>
    public static JwtKeyRing? Load(JwtTokenOptions options, List<string> errors, OptionsSource<JwtTokenOptions> source)
    {
        var keyOptions = options.Keys ?? [];
        if (keyOptions.Length == 0)
        {
            if (options.GenerateEphemeralKey)
            {
                return CreateEphemeral();
            }

            errors.Add($"{source.Name(nameof(options.Keys))} must contain at least one key (or set {nameof(options.GenerateEphemeralKey)} in development).");
            if (options.SigningKeyId is not null)
            {
                errors.Add($"{source.Name(nameof(options.SigningKeyId))} '{options.SigningKeyId}' names no key: {nameof(options.Keys)} is empty.");
            }

            return null;
        }

        var errorCount = errors.Count;
        var keys = new List<(SecurityKey Key, string Algorithm)>(keyOptions.Length);
        var owned = new List<AsymmetricAlgorithm>();
        var signers = new Dictionary<string, (SecurityKey? Key, string? Algorithm, bool CanSign)>(StringComparer.Ordinal);
        for (var i = 0; i < keyOptions.Length; i++)
        {
            var key = keyOptions[i];
            var at = $"Keys:{i}";
            if (key is null)
            {
                errors.Add($"{source.Name(at)} is empty.");
                continue;
            }

            var idIsUsable = false;
            if (string.IsNullOrWhiteSpace(key.KeyId))
            {
                errors.Add($"{source.Name($"{at}:KeyId")} is required.");
            }
            else if (signers.ContainsKey(key.KeyId))
            {
                errors.Add($"{source.Name($"{at}:KeyId")} '{key.KeyId}' is used by another key.");
            }
            else
            {
                idIsUsable = true;
            }

            if (key.Algorithm is null)
            {
                errors.Add($"{source.Name($"{at}:Algorithm")} is required (HS256, RS256 or ES256).");
                continue;
            }

            var valid = TryCreateKey(key, out var securityKey, out var algorithm, out var canSign, out var error);
            if (algorithm is not null)
            {
                owned.Add(algorithm);
            }

            if (!valid)
            {
                // The error starts with the key's member (Secret, Pem or Algorithm), which is named as a setting.
                var member = error!.IndexOf(' ', StringComparison.Ordinal);
                errors.Add(source.Name($"{at}:{error[..member]}") + error[member..]);
            }
            else
            {
                keys.Add((securityKey!, key.Algorithm));
            }

            if (idIsUsable)
            {
                // An invalid key is reported above, not again as one that cannot sign.
                signers.Add(key.KeyId!, (securityKey, key.Algorithm, !valid || canSign));
            }
        }

        var signingKeyId = options.SigningKeyId ?? keyOptions[0]?.KeyId;
        SigningCredentials? signing = null;
        if (signingKeyId is not null)
        {
            var setting = options.SigningKeyId is null
                ? $"{source.Name("Keys:0")} (the signing key, as {nameof(options.SigningKeyId)} is not set)"
                : $"{source.Name(nameof(options.SigningKeyId))} '{signingKeyId}'";
            if (!signers.TryGetValue(signingKeyId, out var signer))
            {
                errors.Add($"{setting} names no key of {nameof(options.Keys)}.");
            }
            else if (!signer.CanSign)
            {
                errors.Add($"{setting} must name a key that can sign: a private key (Pem) or an HS256 secret, not a public key.");
            }
            else if (signer.Key is not null)
            {
                signing = new SigningCredentials(signer.Key, signer.Algorithm);
            }
        }

        if (errors.Count > errorCount || signing is null)
        {
            foreach (var algorithm in owned)
            {
                algorithm.Dispose();
            }

            return null;
        }

        return new JwtKeyRing(keys, signing, owned, isEphemeral: false);
    }

    /// <summary>A ring of one ES256 key made in memory, for development (<see cref="JwtTokenOptions.GenerateEphemeralKey"/>).</summary>
    public static JwtKeyRing CreateEphemeral()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new ECDsaSecurityKey(ecdsa)
        {
            KeyId = "ephemeral-" + RandomId.Create(12),
        };
        return new JwtKeyRing([(key, ES256)], new SigningCredentials(key, ES256), [ecdsa], isEphemeral: true);
    }

    /// <summary>Disposes the signature providers, then the RSA and ECDsa objects behind the keys; the ring must not be used afterwards.</summary>
    public void Dispose()
    {
        _signatureProviders.Dispose();
        foreach (var algorithm in _owned)
        {
            algorithm.Dispose();
        }
    }

    /// <summary>
    /// Reads one key. On failure <paramref name="error"/> says what is wrong without the setting's prefix (the
    /// caller names the setting) and never repeats the secret or the PEM; on success <paramref name="owned"/> is the
    /// RSA or ECDsa object behind an asymmetric key, for the ring to dispose.
    /// </summary>
    private static bool TryCreateKey(
        JwtSigningKeyOptions options,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SecurityKey? key,
        out AsymmetricAlgorithm? owned,
        out bool canSign,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        key = null;
        owned = null;
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
                    ? TryReadRsa(options, out key, out owned, out canSign, out error)
                    : TryReadEcdsa(options, out key, out owned, out canSign, out error);

            default:
                error = $"Algorithm '{options.Algorithm}' is not supported; use HS256, RS256 or ES256.";
                return false;
        }
    }

    private static bool TryReadRsa(JwtSigningKeyOptions options, out SecurityKey? key, out AsymmetricAlgorithm? owned, out bool canSign, out string? error) =>
        TryReadPem(
            options,
            RSA.Create,
            "Pem is not an RSA key (an unencrypted PKCS#8/PKCS#1 private key or a public key).",
            static bits => bits < MinRsaKeyBits ? $"Pem is a {bits}-bit RSA key; RS256 needs at least {MinRsaKeyBits} bits." : null,
            static rsa => new RsaSecurityKey(rsa),
            out key,
            out owned,
            out canSign,
            out error);

    private static bool TryReadEcdsa(JwtSigningKeyOptions options, out SecurityKey? key, out AsymmetricAlgorithm? owned, out bool canSign, out string? error) =>
        TryReadPem(
            options,
            ECDsa.Create,
            "Pem is not an EC key (an unencrypted PKCS#8/SEC1 private key or a public key).",
            static bits => bits != 256 ? $"Pem is a {bits}-bit EC key; ES256 needs a P-256 key." : null,
            static ecdsa => new ECDsaSecurityKey(ecdsa),
            out key,
            out owned,
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
        out AsymmetricAlgorithm? owned,
        out bool canSign,
        out string? error)
        where TAlgorithm : AsymmetricAlgorithm
    {
        key = null;
        owned = null;
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
        owned = algorithm;
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
