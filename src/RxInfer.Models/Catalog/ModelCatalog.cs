using System.Buffers;
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

    public ModelDefinition? FindModelByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var position) ? _models[position] : null;
    }

    /// <summary>
    /// The union of the postings of the caller's roles, in catalogue order, without duplicates: the positions are
    /// gathered, sorted and deduplicated, which costs O(v log v) for v visible postings, whatever the catalogue's size.
    /// </summary>
    private ModelDefinition[] Merge(IReadOnlyList<string> roles)
    {
        var total = 0;
        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] is { } role && _byRole.TryGetValue(role, out var posting))
            {
                total += posting.Positions.Length;
            }
        }

        var buffer = ArrayPool<int>.Shared.Rent(total);
        try
        {
            var count = 0;
            for (var i = 0; i < roles.Count; i++)
            {
                if (roles[i] is { } role && _byRole.TryGetValue(role, out var posting))
                {
                    posting.Positions.CopyTo(buffer, count);
                    count += posting.Positions.Length;
                }
            }

            var positions = buffer.AsSpan(0, count);
            positions.Sort();
            var unique = 0;
            for (var i = 0; i < positions.Length; i++)
            {
                if (i == 0 || positions[i] != positions[i - 1])
                {
                    positions[unique++] = positions[i];
                }
            }

            var result = new ModelDefinition[unique];
            for (var i = 0; i < unique; i++)
            {
                result[i] = _models[positions[i]];
            }

            return result;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    private sealed class Posting(int[] positions, ReadOnlyCollection<ModelDefinition> models)
    {
        public int[] Positions { get; } = positions;

        public ReadOnlyCollection<ModelDefinition> Models { get; } = models;
    }
}
