using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Every quota, capacity and rate setting is checked when the sample host starts, with a message naming it.</summary>
public sealed class QuotaOptionsAtStartTests
{
    [Theory]
    [InlineData("RxInfer:Models:MaxInstancesPerSubject", "-1", "The field RxInferModelsOptions.MaxInstancesPerSubject (configuration RxInfer:Models:MaxInstancesPerSubject) must be between 0 and 2147483647.")]
    [InlineData("RxInfer:Models:MaxInstanceSize", "-1", "The field RxInferModelsOptions.MaxInstanceSize (configuration RxInfer:Models:MaxInstanceSize) must be between 0 and 2147483647.")]
    [InlineData("RxInfer:Models:MaxInstances", "-10", "The field RxInferModelsOptions.MaxInstances (configuration RxInfer:Models:MaxInstances) must be between 0 and 2147483647.")]
    [InlineData("RxInfer:Models:InstanceRetention", "-1.00:00:00", "RxInferModelsOptions.InstanceRetention (configuration RxInfer:Models:InstanceRetention) must not be negative (was -1.00:00:00).")]
    [InlineData("RxInfer:Models:RetentionSweepInterval", "00:00:00", "RxInferModelsOptions.RetentionSweepInterval (configuration RxInfer:Models:RetentionSweepInterval) must be greater than zero (was 00:00:00).")]
    [InlineData("RxInfer:Auth:Opaque:MaxTokens", "-1", "The field OpaqueTokenOptions.MaxTokens (configuration RxInfer:Auth:Opaque:MaxTokens) must be between 0 and 2147483647.")]
    [InlineData("RxInfer:Endpoints:AnonymousTokensPerMinute", "-1", "The field RxInferEndpointOptions.AnonymousTokensPerMinute (configuration RxInfer:Endpoints:AnonymousTokensPerMinute) must be between 0 and 2147483647.")]
    public async Task A_negative_setting_stops_the_host_at_start_naming_it(string setting, string value, string message)
    {
        // Mapping the endpoints reads the options already (so a bad setting may stop the host while it is built);
        // otherwise ValidateOnStart stops it in StartAsync.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = Program.CreateApp([$"--{setting}={value}"], static builder => builder.WebHost.UseTestServer());
            await app.StartAsync();
        });

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_samples_settings_start()
    {
        await using var app = Program.CreateApp([], static builder => builder.WebHost.UseTestServer());

        await app.StartAsync();
        await app.StopAsync();
    }
}
