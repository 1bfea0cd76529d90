using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RxInfer.Models.Tests;

/// <summary>
/// Model configurations in the RxInferServer layout, written for these tests (<c>Fixtures/models</c>), with the
/// features real ones use: folded and quoted text, nested fields passed through, arguments of every kind (typed,
/// defaulted, required with and without a default, list and mapping defaults), an empty field, repeated names outside
/// <c>arguments</c>, comments, flow and block styles, Unicode, and a JSON configuration beside the YAML ones.
/// </summary>
public sealed class FixtureModelTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "models");

    private readonly ModelsHost _host = new(b => b.AddModelsFromDirectory(Fixtures));

    public void Dispose() => _host.Dispose();

    private ModelDefinition Model(string name, params string[] roles) =>
        _host.Catalog.FindModel(name, roles) ?? throw new Xunit.Sdk.XunitException($"{name} did not load: {string.Join("; ", _host.Logs.GetSnapshot().Select(r => r.Message))}");

    private static void JsonEqual(string expected, JsonElement actual)
    {
        using var document = JsonDocument.Parse(expected);
        Assert.True(JsonElement.DeepEquals(document.RootElement, actual), $"expected {expected}\nactual   {actual}");
    }

    [Fact]
    public void Every_fixture_loads_in_folder_order_without_a_warning()
    {
        Assert.True(Directory.Exists(Fixtures), $"The fixtures are copied next to the tests: {Fixtures}");

        Assert.Equal(
            ["FeatureMap-v1", "KalmanFilter-v1", "ThompsonBandit-v1"],
            _host.Catalog.GetAvailableModels(["user", "researcher"]).Select(m => m.Name));
        Assert.DoesNotContain(_host.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Details_are_read_from_folded_quoted_and_escaped_text()
    {
        var kalman = Model("KalmanFilter-v1", "user");
        Assert.Equal("Tracks a hidden position from noisy readings\n", kalman.Description);
        Assert.Equal("RxInfer.NET tests", kalman.Author);
        Assert.Equal(["user"], kalman.Roles);

        var bandit = Model("ThompsonBandit-v1", "researcher");
        Assert.Equal("Chooses an arm: Thompson sampling over θ", bandit.Description);
        Assert.Equal(["user", "researcher"], bandit.Roles);

        var features = Model("FeatureMap-v1", "researcher");
        Assert.Equal("Learns a feature map θ → φ", features.Description);
        Assert.Equal(["researcher"], features.Roles);
        Assert.Null(_host.Catalog.FindModel("FeatureMap-v1", ["user"]));
    }

    [Fact]
    public void Arguments_keep_their_types_defaults_and_required_flags()
    {
        var arguments = Model("KalmanFilter-v1", "user").Arguments;

        Assert.Equal(["dt", "horizon", "initial_state", "noise", "label"], arguments.Select(a => a.Name));
        Assert.Equal(["float", "int", "array", "object", "string"], arguments.Select(a => a.Type));
        Assert.Equal([true, false, false, false, false], arguments.Select(a => a.Required));
        Assert.Equal("Seconds between two readings", arguments[0].Description);
        Assert.Equal("Noise levels: process and observation", arguments[3].Description);
        Assert.Null(arguments[2].Description);
        JsonEqual("0.1", arguments[0].Default!.Value);
        JsonEqual("20", arguments[1].Default!.Value);
        JsonEqual("[0.0, 0.0]", arguments[2].Default!.Value);
        JsonEqual("""{"process": 0.01, "observation": 0.1}""", arguments[3].Default!.Value);
        Assert.Null(arguments[4].Default);

        var bandit = Model("ThompsonBandit-v1", "user").Arguments;
        Assert.Equal([true, true, false], bandit.Select(a => a.Required));
        Assert.Equal([false, false, true], bandit.Select(a => a.Default.HasValue));
        JsonEqual("1", bandit[2].Default!.Value);

        var features = Model("FeatureMap-v1", "researcher").Arguments;
        JsonEqual("8", features[0].Default!.Value);
        Assert.Equal(JsonValueKind.Null, features[1].Default!.Value.ValueKind); // a default whose value is null
        JsonEqual("[[1, 0], [0, 1]]", features[2].Default!.Value);
    }

    [Fact]
    public void Every_other_field_is_passed_through_as_written()
    {
        var kalman = Model("KalmanFilter-v1", "user").Configuration;
        JsonEqual(
            """[{"name": "μ", "description": "Posterior mean of the state"}, {"name": "Σ", "description": "Posterior covariance of the state"}]""",
            kalman.GetProperty("parameters"));
        JsonEqual(
            """[{"name": "reading", "type": "float", "required": true}, {"name": "timestamp", "type": "string", "required": false}]""",
            kalman.GetProperty("data"));

        var bandit = Model("ThompsonBandit-v1", "user").Configuration;
        Assert.Equal(JsonValueKind.Null, bandit.GetProperty("parameters").ValueKind);
        Assert.Equal(["context", "context"], bandit.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        JsonEqual("""{"iterations": 10, "tolerance": 1.0e-6, "verbose": false, "seed": null}""", bandit.GetProperty("tuning"));

        var features = Model("FeatureMap-v1", "researcher").Configuration;
        JsonEqual("""{"nested": {"deeper": [true, "ünïcødé", 3.5]}}""", features.GetProperty("extra"));
    }

    [Fact]
    public void An_instance_merges_the_declared_defaults_and_requires_what_is_required()
    {
        var caller = new ModelCaller("tester", ["user"]);

        var missing = Sync.Run(_host.Instances.CreateAsync(caller, "ThompsonBandit-v1", Json.Parse("""{"n_arms": 3}"""), null));
        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, missing.Status);
        Assert.Equal("model configuration validation error - model configuration argument context_dim is required", missing.Error);

        // dt is required but has a default, so it may be left out.
        var created = Sync.Run(_host.Instances.CreateAsync(caller, "KalmanFilter-v1", Json.Parse("""{"horizon": 5, "θ": "kept"}"""), "μ-test"));
        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        JsonEqual(
            """{"dt": 0.1, "horizon": 5, "initial_state": [0.0, 0.0], "noise": {"process": 0.01, "observation": 0.1}, "θ": "kept"}""",
            created.Instance!.Arguments);
        Assert.Equal("μ-test", created.Instance.Description);
    }
}
