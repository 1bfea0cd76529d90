using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RxInfer.Auth.Tests;

/// <summary>
/// Registrations under a real generic host, started as an application starts it: options registered with
/// <c>ValidateOnStart</c> are checked by <see cref="IHost.StartAsync"/>, and the host's environment is known.
/// </summary>
internal static class TestHost
{
    /// <summary>Builds a host of <paramref name="services"/> in <paramref name="environment"/> and starts it.</summary>
    public static async Task<IHost> StartAsync(IServiceCollection services, string environment = "Production")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        foreach (var descriptor in services)
        {
            builder.Services.Add(descriptor);
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Starts a host of <paramref name="services"/> that must fail at start, and returns why.</summary>
    public static async Task<OptionsValidationException> StartFailureAsync(IServiceCollection services, string environment = "Production") =>
        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            using var host = await StartAsync(services, environment);
        });
}
