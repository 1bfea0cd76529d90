using System.Buffers;
using System.Buffers.Text;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>
/// Sends a token to the external issuer it belongs to, decided by its shape and its <c>iss</c> (read once, without
/// trusting it, by <see cref="ReadIssuer"/>), never by trying each validator in turn. Registered only when an issuer is:
/// without one, <see cref="TokenService"/> does no extra work at all. A token whose <c>iss</c> is no external issuer's
/// (ours, an unknown one, or none) goes to our own provider, which rejects what is not its own (401).
/// </summary>
internal sealed class OpenIdConnectRouter
{
    private const int MaxPayloadOnStack = 1024;

    private readonly (byte[] Issuer, OpenIdConnectTokenValidator Validator)[] _routes;

    public OpenIdConnectRouter(
        OpenIdConnectIssuers issuers,
        IOptionsMonitor<OpenIdConnectIssuerOptions> options,
        IHttpClientFactory httpClients,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<OpenIdConnectTokenValidator>();
        var routes = new List<(byte[], OpenIdConnectTokenValidator)>();
        var validators = new List<OpenIdConnectTokenValidator>();
        foreach (var name in issuers.Names)
        {
            var issuerOptions = options.Get(name);
            var http = httpClients.CreateClient(OpenIdConnectIssuers.HttpClientName(name));
            http.Timeout = issuerOptions.MetadataTimeout;
            var address = issuerOptions.MetadataAddress ?? issuerOptions.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
            var metadata = new OpenIdConnectMetadata(name, address, issuerOptions, http, timeProvider, logger);
            var validator = new OpenIdConnectTokenValidator(name, issuerOptions, metadata, timeProvider, logger);
            validators.Add(validator);

            // The iss as configured, and with or without one trailing slash (issuers differ on it; the discovery
            // document's issuer is required to be the same address).
            var issuer = validator.Issuer.TrimEnd('/');
            routes.Add((Encoding.UTF8.GetBytes(issuer), validator));
            routes.Add((Encoding.UTF8.GetBytes(issuer + "/"), validator));
        }

        _routes = [.. routes];
        Validators = validators;
    }

    /// <summary>The validators, one per registered issuer, in registration order.</summary>
    public IReadOnlyList<OpenIdConnectTokenValidator> Validators { get; }

    /// <summary>The validator of the external issuer whose <c>iss</c> the token carries, or <see langword="null"/> for any other token.</summary>
    public OpenIdConnectTokenValidator? Route(string token)
    {
        var index = ReadIssuer(token, _routes);
        return index < 0 ? null : _routes[index].Validator;
    }

    /// <summary>
    /// The index in <paramref name="routes"/> of the first top-level <c>iss</c> of a compact JWS's payload, or -1 (no
    /// such shape, no <c>iss</c>, not a string, not a route, or not JSON). Untrusted: only picks the validator, which
    /// checks everything again. Decodes the payload on the stack when it is small.
    /// </summary>
    internal static int ReadIssuer(string token, (byte[] Issuer, OpenIdConnectTokenValidator Validator)[] routes)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        if (first <= 0)
        {
            return -1;
        }

        var second = token.IndexOf('.', first + 1);
        if (second <= first + 1 || token.IndexOf('.', second + 1) >= 0)
        {
            return -1;
        }

        var segment = token.AsSpan(first + 1, second - first - 1);
        var length = Base64Url.GetMaxDecodedLength(segment.Length);
        byte[]? rented = null;
        var buffer = length <= MaxPayloadOnStack ? stackalloc byte[MaxPayloadOnStack] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            if (Base64Url.DecodeFromChars(segment, buffer, out _, out var written) != OperationStatus.Done)
            {
                return -1;
            }

            return FindIssuer(buffer[..written], routes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int FindIssuer(ReadOnlySpan<byte> json, (byte[] Issuer, OpenIdConnectTokenValidator Validator)[] routes)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return -1;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIssuer = reader.ValueTextEquals("iss"u8);
                if (!reader.Read())
                {
                    return -1;
                }

                if (isIssuer)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return -1;
                    }

                    for (var i = 0; i < routes.Length; i++)
                    {
                        if (reader.ValueTextEquals(routes[i].Issuer))
                        {
                            return i;
                        }
                    }

                    return -1;
                }

                if (!reader.TrySkip())
                {
                    return -1;
                }
            }

            return -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }
}
