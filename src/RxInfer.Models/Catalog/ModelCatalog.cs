using System.Collections.ObjectModel;
using Microsoft.Extensions.Logging;

namespace RxInfer.Models;

/// <summary>
/// The immutable catalogue with an inverted index: for every role, the ascending catalogue positions of the
/// models that name it. Listing for a caller merges the postings of the caller's roles, so it costs in proportion
/// to the models the caller may see, never to the size of the catalogue.
/// </summary>
internal sealed class ModelCatalog : IModelCatalog
{
    private static readonly ReadOnlyCollection<ModelDefinition> Empty = ReadOnlyCollection<ModelDefinition>.Empty;

    private readonly ModelDefinition[] _models;
    private readonly Dictionary<string, int> _byName;
    private readonly Dictionary<string, Posting> _byRole;

    /// <summary>Builds the catalogue; a model whose name was seen before is skipped (the first one wins) and logged.</summary>
    /// <param name="entries">The models in catalogue order, each with where it came from.</param>
    /// <param name="logger">Receives the duplicates.</param>
    public ModelCatalog(IEnumerable<(ModelDefinition Model, string Source)> entries, ILogger logger)
    {
        var models = new List<ModelDefinition>();
        var sources = new List<string>();
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (model, source) in entries)
        {
            if (_byName.TryGetValue(model.Name, out var first))
            {
                Log.DuplicateModel(logger, model.Name, source, sources[first]);
                continue;
            }

            _byName.Add(model.Name, models.Count);
            models.Add(model);
            sources.Add(source);
        }

        _models = [.. models];

        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var position = 0; position < _models.Length; position++)
        {
            foreach (var role in _models[position].Roles)
            {
                if (!positions.TryGetValue(role, out var list))
                {
                    positions.Add(role, list = []);
                }

                // Positions are added in ascending order, so a repeated role of one model is the last entry.
                if (list.Count == 0 || list[^1] != position)
                {
                    list.Add(position);
                }
            }
        }

        _byRole = new Dictionary<string, Posting>(positions.Count, StringComparer.Ordinal);
        foreach (var (role, list) in positions)
        {
            var visible = new ModelDefinition[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                visible[i] = _models[list[i]];
            }

            _byRole.Add(role, new Posting([.. list], new ReadOnlyCollection<ModelDefinition>(visible)));
        }

        Log.CatalogueLoaded(logger, _models.Length, _byRole.Count);
    }

    /// <summary>Every model, in catalogue order, regardless of roles.</summary>
    public IReadOnlyList<ModelDefinition> Models => _models;

    public IReadOnlyList<ModelDefinition> GetAvailableModels(IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);

        // The common case, one role (or all roles but one unknown): the precomputed list, no allocation.
        Posting? single = null;
        var matched = 0;
        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] is { } role && _byRole.TryGetValue(role, out var posting) && !ReferenceEquals(posting, single))
            {
                single ??= posting;
                matched++;
                if (matched > 1)
                {
                    break;
                }
            }
        }

        return matched switch
        {
            0 => Empty,
            1 => single!.Models,
            _ => Merge(roles),
        };
    }

    public ModelDefinition? FindModel(string name, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(roles);
        if (!_byName.TryGetValue(name, out var position))
        {
            return null;
        }

        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] is { } role && _byRole.TryGetValue(role, out var posting) && Array.BinarySearch(posting.Positions, position) >= 0)
            {
                return _models[position];
            }
        }

        return null;
    }

    /// <summary>A k-way merge of the postings of the caller's roles, in catalogue order, without duplicates.</summary>
    private ModelDefinition[] Merge(IReadOnlyList<string> roles)
    {
        var postings = new List<int[]>(roles.Count);
        var seen = new HashSet<int[]>(roles.Count, ReferenceEqualityComparer.Instance);
        var total = 0;
        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] is { } role && _byRole.TryGetValue(role, out var posting) && seen.Add(posting.Positions))
            {
                postings.Add(posting.Positions);
                total += posting.Positions.Length;
            }
        }

        var result = new List<ModelDefinition>(total);
        var cursors = new int[postings.Count];
        var queue = new PriorityQueue<int, int>(postings.Count);
        for (var p = 0; p < postings.Count; p++)
        {
            queue.Enqueue(p, postings[p][0]);
        }

        var last = -1;
        while (queue.TryDequeue(out var p, out var position))
        {
            if (position != last)
            {
                result.Add(_models[position]);
                last = position;
            }

            var next = ++cursors[p];
            if (next < postings[p].Length)
            {
                queue.Enqueue(p, postings[p][next]);
            }
        }

        return [.. result];
    }

    private sealed class Posting(int[] positions, ReadOnlyCollection<ModelDefinition> models)
    {
        public int[] Positions { get; } = positions;

        public ReadOnlyCollection<ModelDefinition> Models { get; } = models;
    }
}
