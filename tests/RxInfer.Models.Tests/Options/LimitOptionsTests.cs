using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RxInfer.Models.Tests;

public sealed class LimitOptionsTests
{
    private static OptionsValidationException Fails(Action<RxInferModelsOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddRxInferModels(configure);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Theory]
    [InlineData("MaxEventsPerAttach")]
    [InlineData("MaxEventsPerEpisode")]
    [InlineData("MaxEpisodesPerInstance")]
    [InlineData("MaxEventDataSize")]
    [InlineData("MaxEventMetadataSize")]
    public void A_limit_of_zero_or_less_set_in_code_fails_at_start_naming_the_property(string name)
    {
        var property = typeof(RxInferModelsOptions).GetProperty(name)!;
        foreach (var value in new[] { 0, -1 })
        {
            var error = Fails(o => property.SetValue(o, value));
            Assert.Contains($"The field RxInferModelsOptions.{name} must be between 1 and 2147483647.", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("RxInfer:Models", error.Message, StringComparison.Ordinal); // not bound from configuration
        }
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    [InlineData("25.00:00:00")]
    public void A_runtime_timeout_outside_its_range_fails_at_start(string timeout)
    {
        var error = Fails(o => o.RuntimeTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("The field RxInferModelsOptions.RuntimeTimeout must be between 00:00:00 exclusive and 24.00:00:00.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_events_per_call_than_per_episode_fails_at_start()
    {
        var error = Fails(o => { o.MaxEventsPerAttach = 20; o.MaxEventsPerEpisode = 10; });
        Assert.Contains("RxInferModelsOptions.MaxEventsPerAttach (20) must not be greater than RxInferModelsOptions.MaxEventsPerEpisode (10).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limits_have_documented_defaults_and_bind_from_configuration()
    {
        var defaults = new RxInferModelsOptions();
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.RuntimeTimeout);
        Assert.Equal(1000, defaults.MaxEventsPerAttach);
        Assert.Equal(10_000, defaults.MaxEventsPerEpisode);
        Assert.Equal(100, defaults.MaxEpisodesPerInstance);
        Assert.Equal(32 * 1024, defaults.MaxEventDataSize);
        Assert.Equal(8 * 1024, defaults.MaxEventMetadataSize);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Models:RuntimeTimeout"] = "00:00:02",
            ["RxInfer:Models:MaxEventsPerAttach"] = "3",
            ["RxInfer:Models:MaxEventsPerEpisode"] = "4",
            ["RxInfer:Models:MaxEpisodesPerInstance"] = "5",
            ["RxInfer:Models:MaxEventDataSize"] = "6",
            ["RxInfer:Models:MaxEventMetadataSize"] = "7",
        }).Build();
        var services = new ServiceCollection();
        services.AddRxInferModels(configuration.GetSection("RxInfer:Models"));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var bound = provider.GetRequiredService<IOptions<RxInferModelsOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(2), 3, 4, 5, 6, 7), (bound.RuntimeTimeout, bound.MaxEventsPerAttach, bound.MaxEventsPerEpisode, bound.MaxEpisodesPerInstance, bound.MaxEventDataSize, bound.MaxEventMetadataSize));
    }
}
