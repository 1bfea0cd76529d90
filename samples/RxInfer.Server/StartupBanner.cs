using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;
using RxInfer.Models;

/// <summary>
/// The lines the sample prints once it listens: where, and the settings in force, read from the built host's options
/// (not from the variables that may have set them), so the banner cannot contradict what the host does.
/// </summary>
/// <param name="output">Where the lines go: the console, or a test's writer.</param>
public sealed class StartupBanner(TextWriter output)
{
    /// <summary>The configuration key the library reads to choose its token provider (see the Hosting README).</summary>
    private const string ProviderKey = "RxInfer:Auth:Provider";

    /// <summary>Writes the banner of <paramref name="app"/>; nothing for a test server, which listens nowhere.</summary>
    /// <param name="app">The built, started host.</param>
    public void Write(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return;
        }

        foreach (var line in Lines(app.Services, app.Configuration, addresses))
        {
            output.WriteLine(line);
        }

        output.Flush();
    }

    /// <summary>The banner's lines for a built host.</summary>
    /// <param name="services">The built host's services.</param>
    /// <param name="configuration">The built host's configuration.</param>
    /// <param name="addresses">The addresses it listens on.</param>
    /// <returns>The lines.</returns>
    public static IEnumerable<string> Lines(IServiceProvider services, IConfiguration configuration, IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses)
        {
            yield return $"RxInfer.Server listening on {address}/v1 (OpenAPI: {address}/openapi/v1.json)";
        }

        var provider = configuration[ProviderKey] is { Length: > 0 } chosen ? chosen.Trim() : "Opaque";
        var auth = services.GetRequiredService<IOptions<RxInferAuthOptions>>().Value;
        var perMinute = services.GetRequiredService<IOptions<RxInferEndpointOptions>>().Value.AnonymousTokensPerMinute;
        var rateLimit = perMinute > 0 ? $"at most {perMinute} a minute per client address" : "not rate limited";
        yield return $"Token provider: {provider}; anonymous tokens: {(auth.AllowAnonymousTokens ? $"on, {rateLimit}" : "off")}";
        yield return services.GetRequiredService<IOptions<DevelopmentTokenOptions>>().Value.Enabled
            ? "Development token: ON (dev-token, dev-token:role1,role2); never enable it in production"
            : $"Development token: off (set {Program.DevelopmentTokenVariable}=true to enable it)";
        yield return $"Model folders: {string.Join(", ", services.GetRequiredService<IOptions<RxInferModelsOptions>>().Value.Locations)}";
        yield return Program.DescribeStorage(services);
    }
}
