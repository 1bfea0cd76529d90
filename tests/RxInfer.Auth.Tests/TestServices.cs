using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests;

/// <summary>A service provider built the way a host builds it, with fake time and fake logs.</summary>
internal static class TestServices
{
    public static ServiceProvider Build(FakeTimeProvider time, Action<RxInferAuthBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        var builder = collection.AddRxInferAuth();
        configure?.Invoke(builder);
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
