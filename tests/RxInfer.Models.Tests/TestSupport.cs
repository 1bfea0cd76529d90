using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Models.Tests;

/// <summary>A temporary folder of model configurations, deleted at dispose.</summary>
internal sealed class ModelsFolder : IDisposable
{
    public ModelsFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rxinfer-models-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> as <c>folder/fileName</c> and returns the file's path.</summary>
    public string Write(string folder, string text, string fileName = "config.yaml")
    {
        var directory = System.IO.Path.Combine(Path, folder);
        Directory.CreateDirectory(directory);
        var file = System.IO.Path.Combine(directory, fileName);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A service provider with the models package, fake logs and a fake clock.</summary>
internal sealed class ModelsHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public ModelsHost(Action<RxInferModelsBuilder>? build = null, Action<RxInferModelsOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddLogging(logging => Microsoft.Extensions.Logging.LoggingBuilderExtensions.SetMinimumLevel(logging, Microsoft.Extensions.Logging.LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddRxInferModels(configure);
        build?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = TestClock.NewTimeProvider();

    public IServiceProvider Services => _provider;

    public IModelCatalog Catalog => _provider.GetRequiredService<IModelCatalog>();

    public IModelInstanceService Instances => _provider.GetRequiredService<IModelInstanceService>();

    public IModelEpisodeService Episodes => _provider.GetRequiredService<IModelEpisodeService>();

    public IModelInferenceService Inference => _provider.GetRequiredService<IModelInferenceService>();

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    public void Dispose() => _provider.Dispose();
}

internal static class Json
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

internal static class Sync
{
    /// <summary>The result of an operation of the in-memory defaults, which complete synchronously.</summary>
    public static T Run<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "The in-memory operation did not complete synchronously.");
        return task.Result;
    }
}
