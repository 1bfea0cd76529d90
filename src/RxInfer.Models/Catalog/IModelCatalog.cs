namespace RxInfer.Models;

/// <summary>
/// The models a host offers, gated by roles: a caller may see a model when at least one of its roles equals one
/// of the model's roles (exact and case-sensitive; no wildcard, no hierarchy). The catalogue is built once and
/// does not change afterwards.
/// </summary>
public interface IModelCatalog
{
    /// <summary>The models <paramref name="roles"/> may see, in catalogue order (the order the models were loaded).</summary>
    /// <param name="roles">The caller's roles.</param>
    /// <returns>The visible models; empty when none is visible.</returns>
    IReadOnlyList<ModelDefinition> GetAvailableModels(IReadOnlyList<string> roles);

    /// <summary>The model named <paramref name="name"/> (exact, case-sensitive) when <paramref name="roles"/> may see it.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="roles">The caller's roles.</param>
    /// <returns>The model, or <see langword="null"/> when it does not exist or the roles may not see it (the two are indistinguishable).</returns>
    ModelDefinition? FindModel(string name, IReadOnlyList<string> roles);

    /// <summary>
    /// The model named <paramref name="name"/> (exact, case-sensitive) whatever the caller's roles: for operations on
    /// an existing instance, which belongs to its owner whatever roles the owner's later tokens carry.
    /// </summary>
    /// <param name="name">The model's name.</param>
    /// <returns>The model, or <see langword="null"/> when the catalogue has no model of that name.</returns>
    ModelDefinition? FindModelByName(string name);
}
