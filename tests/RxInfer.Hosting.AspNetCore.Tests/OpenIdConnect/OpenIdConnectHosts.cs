using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore.Tests.Federation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RxInfer.Hosting.AspNetCore.Tests.OpenIdConnect;

/// <summary>Counts the requests a host serves below a path (the JWKS, to bound refreshes).</summary>
internal sealed class RequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Hit(bool counts)
    {
        if (counts)
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Use(WebApplication app, Func<PathString, bool> counts) =>
        app.Use(async (context, next) =>
        {
            if (counts(context.Request.Path))
            {
                Interlocked.Increment(ref _count);
            }

            await next(context);
        });
}

/// <summary>Puts a <see cref="RequestCounter"/> in front of the whole pipeline.</summary>
internal sealed class CountingStartupFilter(RequestCounter counter, Func<PathString, bool> counts) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            counter.Hit(counts(context.Request.Path));
            await inner(context);
        });
        next(app);
    };
}

/// <summary>The OpenIddict server's EF Core context (in memory, one database per server).</summary>
internal sealed class OpenIddictDbContext(DbContextOptions<OpenIddictDbContext> options) : DbContext(options);

/// <summary>
/// A third-party OpenID Connect server from NuGet: OpenIddict on Kestrel (loopback, plain HTTP allowed for the test),
/// issuing JWT access tokens (not encrypted) by the client-credentials flow, signed by <see cref="Key"/>. The token
/// endpoint's handler gives the client's subject and roles (<c>roles</c>, an array), scopes and the audience.
/// </summary>
internal sealed class OpenIddictIssuer : IAsyncDisposable
{
    public const string ClientId = "rxinfer-client";
    public const string ClientSecret = "client-secret-for-tests-only";
    public const string Audience = "rxinfer-api";
    public const string Subject = "user-alice";

    private OpenIddictIssuer(KestrelHost host, RSA key, string keyId, RequestCounter jwks)
    {
        Host = host;
        Key = key;
        KeyId = keyId;
        Jwks = jwks;
    }

    public KestrelHost Host { get; }

    public RSA Key { get; }

    public string KeyId { get; }

    /// <summary>The requests served for the key set.</summary>
    public RequestCounter Jwks { get; }

    public string Origin => Host.Origin;

    public static async Task<OpenIddictIssuer> StartAsync(string[]? roles = null)
    {
        var key = TestKeys.Rsa;
        var keyId = "oi-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var jwks = new RequestCounter();
        var database = Guid.NewGuid().ToString("N");
        var host = await KestrelHost.StartAsync(
            builder =>
            {
                // Counted ahead of everything: OpenIddict answers its endpoints from the authentication middleware.
                builder.Services.AddSingleton<IStartupFilter>(new CountingStartupFilter(jwks, static path => path.StartsWithSegments("/.well-known/jwks", StringComparison.Ordinal)));
                builder.Services.AddDbContext<OpenIddictDbContext>(o =>
                {
                    o.UseInMemoryDatabase(database);
                    o.UseOpenIddict();
                });
                builder.Services.AddOpenIddict()
                    .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<OpenIddictDbContext>())
                    .AddServer(o =>
                    {
                        o.SetTokenEndpointUris("connect/token");
                        o.AllowClientCredentialsFlow();
                        o.RegisterScopes("models", "instances");
                        o.AddSigningKey(new RsaSecurityKey(key) { KeyId = keyId });
                        o.AddEphemeralEncryptionKey();
                        o.DisableAccessTokenEncryption();
                        o.UseAspNetCore().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
                    });
            },
            app =>
            {
                app.MapPost("/connect/token", (HttpContext context) =>
                {
                    var request = context.GetOpenIddictServerRequest()!;
                    var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
                    identity.SetClaim(Claims.Subject, Subject);
                    identity.SetClaims("roles", [.. roles ?? ["rx.user", "reader"]]);
                    identity.SetScopes(request.GetScopes());
                    identity.SetResources(Audience);
                    identity.SetDestinations(static _ => [Destinations.AccessToken]);
                    return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
                });
            });

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + "models",
                    Permissions.Prefixes.Scope + "instances",
                },
            });
        }

        return new OpenIddictIssuer(host, key, keyId, jwks);
    }

    /// <summary>An access token by the client-credentials flow.</summary>
    public async Task<string> ClientCredentialsTokenAsync(string scope = "models instances")
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = scope,
        });
        using var response = await Host.Client.PostAsync(new Uri("/connect/token", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return Json.Parse(body).GetProperty("access_token").GetString()!;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Compact JWS made by hand, so a test controls every byte of header and payload.</summary>
internal static class Jws
{
    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static string SignRs256(string header, string payload, RSA key, HashAlgorithmName? hash = null)
    {
        var input = Encode(header) + "." + Encode(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    public static string SignHs256(string header, string payload, byte[] secret)
    {
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    public static long Now(int offsetSeconds = 0) => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds;
}

/// <summary>
/// The second host: our own opaque tokens (with <c>alice:wonderland</c> as <c>user-alice</c>) plus
/// <c>AddOpenIdConnectIssuer(name, ...)</c> for one external issuer, logs collected.
/// </summary>
internal static class RelyingHost
{
    public static Task<KestrelHost> StartAsync(string name, Action<OpenIdConnectIssuerOptions> configure, Action<RxInferAuthBuilder>? provider = null) =>
        KestrelHost.StartAsync(
            builder =>
            {
                builder.Logging.AddFakeLogging();
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                var auth = builder.Services.AddRxInferAuth(o => o.AllowAnonymousTokens = true);
                provider?.Invoke(auth);
                auth.AddCredentialValidator<TestCredentials>();
                auth.AddOpenIdConnectIssuer(name, o =>
                {
                    o.RequireHttpsMetadata = false; // the issuer runs on plain HTTP on the loopback interface
                    o.MetadataTimeout = TimeSpan.FromSeconds(60); // the whole suite in parallel on 2 shared cores can be slow
                    configure(o);
                });
                builder.Services.AddRxInferAuthentication();
                builder.Services.AddRxInferEndpoints();
                builder.Services.AddRxInferModels(o => o.Locations = [TestApp.ModelsFolder]);
            },
            app =>
            {
                app.UseExceptionHandler();
                app.UseStatusCodePages();
                app.UseAuthentication();
                app.UseAuthorization();
                var v1 = app.MapGroup("/v1");
                v1.MapRxInfer();
                v1.MapRxInferRevocation();
            });

    public static async Task<string> AliceTokenAsync(KestrelHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/token/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wonderland")));
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("token").GetString()!;
    }

    public static async Task<HttpResponseMessage> SendAsync(KestrelHost host, HttpMethod method, string path, string token, string? json = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = json is not null ? new StringContent(json, Encoding.UTF8, "application/json") : content;

        return await host.Client.SendAsync(request);
    }

    /// <summary>
    /// Waits until <paramref name="token"/> is accepted (the host has fetched the issuer's metadata), for at most a
    /// minute: under the load of the whole suite a first fetch may time out, and the host answers 503 until it succeeds.
    /// </summary>
    public static async Task WarmUpAsync(KestrelHost host, string token)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(1);
        HttpStatusCode status;
        do
        {
            using var response = await host.GetAsync("/v1/token/roles", token);
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status); // never a 401 for a valid token
                await Task.Delay(250);
            }
        }
        while (status != HttpStatusCode.OK && TimeProvider.System.GetUtcNow() < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    public static async Task<string[]> RolesAsync(KestrelHost host, string token)
    {
        using var response = await host.GetAsync("/v1/token/roles", token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return [.. Json.Parse(body).GetProperty("roles").EnumerateArray().Select(static r => r.GetString()!)];
    }
}

/// <summary>Our own host in JWT mode (built like the sample), the identity provider of a second host, on a port that survives a restart.</summary>
internal static class OurIssuer
{
    public const string Issuer = "rxinfer-identity-provider";

    public static Task<KestrelHost> StartAsync(JwtSigningKeyOptions[] keys, RequestCounter? jwks = null, int port = 0) =>
        KestrelHost.StartAsync(
            builder =>
            {
                builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
                builder.Services.AddRxInferAuth(o => o.AllowAnonymousTokens = true).AddJwtTokens(jwt =>
                {
                    jwt.Issuer = Issuer;
                    jwt.Audience = FederationAudience.Value;
                    jwt.Keys = keys;
                });
                builder.Services.AddRxInferAuthentication();
                builder.Services.AddRxInferEndpoints();
                builder.Services.AddRxInferModels(o => o.Locations = [TestApp.ModelsFolder]);
            },
            app =>
            {
                jwks?.Use(app, static path => path.StartsWithSegments("/.well-known/jwks.json", StringComparison.Ordinal));
                app.UseExceptionHandler();
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGroup("/v1").MapRxInfer();
                app.MapRxInferDiscovery();
            });

    public static void Configure(OpenIdConnectIssuerOptions options, KestrelHost issuer)
    {
        options.Authority = issuer.Origin;
        options.Issuer = Issuer;
        options.Audience = FederationAudience.Value;
    }
}
