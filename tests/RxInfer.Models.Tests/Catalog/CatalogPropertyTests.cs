using FsCheck.Xunit;

namespace RxInfer.Models.Tests;

/// <summary>
/// The role rule for all inputs. Roles are drawn from a small alphabet with upper- and lower-case variants
/// (<c>r0</c> and <c>R0</c> are different roles), so models and callers share roles often, and miss by case too.
/// </summary>
public sealed class CatalogPropertyTests
{
    private static string Role(int seed) => (seed % 2 == 0 ? "r" : "R") + Math.Abs(seed / 2 % 5);

    private static (ModelDefinition[] Models, string[] Caller) Build(int[][] modelRoles, int[] callerRoles)
    {
        var models = (modelRoles ?? [])
            .Select((roles, i) => ModelDefinition.Create($"m{i}", "d", "a", (roles ?? []).Select(Role)))
            .ToArray();
        return (models, (callerRoles ?? []).Select(Role).ToArray());
    }

    private static ModelsHost Host(ModelDefinition[] models) => new(b =>
    {
        foreach (var model in models)
        {
            b.AddModel(model);
        }
    });

    [Property(MaxTest = 1000)]
    public void A_caller_never_sees_a_model_none_of_whose_roles_it_holds(int[][] modelRoles, int[] callerRoles)
    {
        var (models, caller) = Build(modelRoles, callerRoles);
        using var host = Host(models);

        foreach (var model in host.Catalog.GetAvailableModels(caller))
        {
            Assert.Contains(model.Roles, role => caller.Contains(role, StringComparer.Ordinal));
        }
    }

    [Property(MaxTest = 1000)]
    public void A_caller_sees_every_model_it_shares_a_role_with_once_in_catalogue_order(int[][] modelRoles, int[] callerRoles)
    {
        var (models, caller) = Build(modelRoles, callerRoles);
        using var host = Host(models);

        var expected = models.Where(m => m.Roles.Any(r => caller.Contains(r, StringComparer.Ordinal))).Select(m => m.Name);
        Assert.Equal(expected, host.Catalog.GetAvailableModels(caller).Select(m => m.Name));
    }

    [Property(MaxTest = 1000)]
    public void Lookup_by_name_agrees_with_listing(int[][] modelRoles, int[] callerRoles)
    {
        var (models, caller) = Build(modelRoles, callerRoles);
        using var host = Host(models);
        var listed = host.Catalog.GetAvailableModels(caller).ToHashSet();

        foreach (var model in models)
        {
            var found = host.Catalog.FindModel(model.Name, caller);
            if (listed.Contains(model))
            {
                Assert.Same(model, found);
            }
            else
            {
                Assert.Null(found);
            }
        }

        Assert.Null(host.Catalog.FindModel("not-a-model", caller));
    }
}
