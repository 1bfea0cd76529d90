using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RxInfer.Models;

namespace RxInfer.Benchmarks.Models;

/// <summary>
/// Listing the models a caller may see in a catalogue of 10,000 models over 1,000 roles (model i names role
/// <c>role-(i mod 1000)</c>, so every role opens 10 models). The baseline scans every model's role list; the
/// catalogue merges the postings of the caller's roles. A "narrow" caller holds one known role and one no model
/// names (10 models visible); a "wide" caller holds 100 roles (1,000 models visible, a 100-way merge).
/// </summary>
[MemoryDiagnoser]
public class CatalogListingBenchmarks
{
    private const int ModelCount = 10_000;
    private const int RoleCount = 1_000;

    private ModelDefinition[] _models = [];
    private IModelCatalog _catalog = null!;
    private string[] _roles = [];

    [Params("narrow (10 visible)", "wide (1000 visible)")]
    public string Caller { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _models = new ModelDefinition[ModelCount];
        for (var i = 0; i < ModelCount; i++)
        {
            _models[i] = ModelDefinition.Create($"model-{i}", "a model", "bench", [$"role-{i % RoleCount}"]);
        }

        _catalog = new ModelCatalog(_models.Select(static m => (m, "code")), NullLogger.Instance);
        _roles = Caller.StartsWith("narrow", StringComparison.Ordinal)
            ? ["guest", "role-7"]
            : [.. Enumerable.Range(0, 100).Select(static r => $"role-{r}")];

        var expected = Caller.StartsWith("narrow", StringComparison.Ordinal) ? 10 : 1000;
        if (NaiveScan().Count != expected || Catalogue().Count != expected)
        {
            throw new InvalidOperationException("The two listings disagree with the set-up.");
        }
    }

    /// <summary>What a catalogue without an index does: test every model's roles against the caller's.</summary>
    [Benchmark(Baseline = true)]
    public IReadOnlyList<ModelDefinition> NaiveScan()
    {
        var callerRoles = new HashSet<string>(_roles, StringComparer.Ordinal);
        var visible = new List<ModelDefinition>();
        foreach (var model in _models)
        {
            var roles = model.Roles;
            for (var i = 0; i < roles.Count; i++)
            {
                if (callerRoles.Contains(roles[i]))
                {
                    visible.Add(model);
                    break;
                }
            }
        }

        return visible;
    }

    [Benchmark]
    public IReadOnlyList<ModelDefinition> Catalogue() => _catalog.GetAvailableModels(_roles);
}
