using RxInfer.Models;

namespace RxInfer.Server.TestModels;

/// <summary>
/// The five test models of the protocol (docs/protocol.md), loaded when <c>RXINFER_SERVER_LOAD_TEST_MODELS</c> is
/// <c>true</c>, named as in the original server's test suite so its scenarios run against this host unchanged:
/// their configurations are in <c>TestModels/models</c>, their runtimes in <see cref="InferenceCallRuntime"/> and
/// <see cref="LearningCallRuntime"/>. The others have no runtime: state and parameters are their arguments.
/// </summary>
public static class TestModelsRegistration
{
    /// <summary>The switch: <c>true</c> in any case loads the test models. Defaults to off.</summary>
    public const string Variable = "RXINFER_SERVER_LOAD_TEST_MODELS";

    /// <summary>The folder of the test models' configurations, next to the app.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestModels", "models");

    /// <summary>Adds the test models and their runtimes when <paramref name="configuration"/> turns them on.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="models">The models builder.</param>
    /// <returns>Whether they were added.</returns>
    public static bool AddIfEnabled(IConfiguration configuration, RxInferModelsBuilder models)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!(bool.TryParse(configuration[Variable]?.Trim(), out var enabled) && enabled))
        {
            return false;
        }

        Add(models);
        return true;
    }

    /// <summary>Adds the test models and their runtimes.</summary>
    /// <param name="models">The models builder.</param>
    /// <returns>The builder.</returns>
    public static RxInferModelsBuilder Add(RxInferModelsBuilder models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return models.AddModelsFromDirectory(Folder)
            .AddModelRuntime("TestModelInferenceCall", new InferenceCallRuntime())
            .AddModelRuntime("TestModelLearningCall", new LearningCallRuntime());
    }
}
