using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Every operation and status of the protocol's part 2 (docs/protocol.md) over HTTP with exact bodies, including the
/// original server's own test scenarios on its test models. Written once and run for each token provider.
/// </summary>
public abstract partial class ProtocolHttpContractTests
{
    /// <summary><see cref="TestClock.Start"/> as the wire writes it (UTC, Z suffix).</summary>
    private const string Now = "2026-01-02T03:04:05Z";

    /// <summary>Chooses the token provider under test.</summary>
    protected abstract void ConfigureProvider(RxInferAuthBuilder auth);

    private Task<TestApp> StartAsync(string? edition = null) => TestApp.StartAsync(new TestAppOptions
    {
        Provider = ConfigureProvider,
        TestModels = true,
        Services = edition is null ? null : services => services.Configure<RxInferEndpointOptions>(o => o.ServerEdition = edition),
    });

    private static async Task<(TestApp App, ProtocolClient Alice)> StartWithAliceAsync(ProtocolHttpContractTests suite)
    {
        var app = await suite.StartAsync();
        return (app, await ForAsync(app, "alice"));
    }

    private static string EmptyEpisode(Guid id, string name, string parameters = """{"parameter":0}""", string createdAt = Now) =>
        $$"""{"instance_id":"{{id}}","episode_name":{{JsonSerializer.Serialize(name)}},"created_at":"{{createdAt}}","events":[],"parameters":{{parameters}}}""";

}

/// <summary>The part-2 contract suite on the opaque in-memory provider.</summary>
public sealed class OpaqueProtocolHttpContractTests : ProtocolHttpContractTests
{
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddOpaqueTokens();
}

/// <summary>The part-2 contract suite on the signed-JWT provider, with a configured key (an ephemeral one starts in Development only).</summary>
public sealed class JwtProtocolHttpContractTests : ProtocolHttpContractTests
{
    protected override void ConfigureProvider(RxInferAuthBuilder auth) => auth.AddJwtTokens(options =>
        options.Keys = [TestKeys.Es256("protocol-es256")]);
}
