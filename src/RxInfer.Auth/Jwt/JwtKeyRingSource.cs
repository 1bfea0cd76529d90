using RxInfer.OptionsValidation;

namespace RxInfer.Auth;

/// <summary>
/// The one place the JWT key ring is read from <see cref="JwtTokenOptions"/>: the options validator (at start) and
/// the provider get the same ring, so every key is parsed once. A singleton: the container disposes it, and with it
/// every ring it made (their RSA and ECDsa keys).
/// </summary>
/// <remarks>
/// The options are bound more than once (for <c>IOptions</c> and for the start-up validation, each a new
/// instance), so the ring is remembered by the key settings it was read from, not by the options instance.
/// </remarks>
/// <param name="source">Where the options came from, for the wording of the ring's messages.</param>
internal sealed class JwtKeyRingSource(OptionsSource<JwtTokenOptions> source) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<JwtKeyRing> _rings = [];
    private KeySettings? _settings;
    private JwtKeyRing? _ring;
    private string[] _errors = [];
    private bool _disposed;

    /// <summary>How many times key settings were read (a test seam: once per distinct configuration).</summary>
    internal int Loads { get; private set; }

    /// <summary>
    /// The ring of <paramref name="options"/>, read on first use of these key settings; <see langword="null"/> when
    /// they are not valid, with <paramref name="errors"/> naming every problem.
    /// </summary>
    public JwtKeyRing? Load(JwtTokenOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = KeySettings.Of(options);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_settings is null || !_settings.Equals(settings))
            {
                Loads++;
                var found = new List<string>();
                var ring = JwtKeyRing.Load(options, found, source);
                if (ring is not null)
                {
                    _rings.Add(ring);
                }

                (_settings, _ring, _errors) = (settings, ring, [.. found]);
            }

            errors = _errors;
            return _ring;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var ring in _rings)
            {
                ring.Dispose();
            }

            _rings.Clear();
            _ring = null;
        }
    }

    /// <summary>A copy of the settings a ring is read from, compared by value.</summary>
    private sealed class KeySettings : IEquatable<KeySettings>
    {
        private readonly (string? KeyId, string? Algorithm, string? Secret, string? Pem, bool Present)[] _keys;
        private readonly string? _signingKeyId;
        private readonly bool _generateEphemeralKey;

        private KeySettings(JwtTokenOptions options)
        {
            _keys = [.. (options.Keys ?? []).Select(static k => (k?.KeyId, k?.Algorithm, k?.Secret, k?.Pem, k is not null))];
            _signingKeyId = options.SigningKeyId;
            _generateEphemeralKey = options.GenerateEphemeralKey;
        }

        public static KeySettings Of(JwtTokenOptions options) => new(options);

        public bool Equals(KeySettings? other) =>
            other is not null
            && _generateEphemeralKey == other._generateEphemeralKey
            && string.Equals(_signingKeyId, other._signingKeyId, StringComparison.Ordinal)
            && _keys.AsSpan().SequenceEqual(other._keys);

        public override bool Equals(object? obj) => Equals(obj as KeySettings);

        public override int GetHashCode() => HashCode.Combine(_keys.Length, _signingKeyId, _generateEphemeralKey);
    }
}
