using FsCheck.Xunit;

namespace RxInfer.Models.Tests;

/// <summary>Ownership for any interleaving of creates and deletes by several owners.</summary>
public sealed class OwnershipPropertyTests
{
    private static readonly ModelDefinition Model = ModelDefinition.Create("Owned-v1", "d", "a", ["user"]);
    private static readonly string[] Owners = ["alice", "bob", "carol"];

    /// <summary>
    /// Each step is decoded from an int: which owner acts, whether it creates or deletes, and which id a delete
    /// aims at (any id ever created, so owners also try each other's and already deleted ones).
    /// </summary>
    [Property(MaxTest = 1000)]
    public void Each_owner_sees_exactly_its_own_live_instances(int[] steps)
    {
        using var host = new ModelsHost(b => b.AddModel(Model));
        var service = host.Instances;
        var live = Owners.ToDictionary(o => o, _ => new List<Guid>());
        var everCreated = new List<(string Owner, Guid Id)>();

        foreach (var step in steps ?? [])
        {
            var value = (uint)step;
            var owner = Owners[value % 3];
            var caller = new ModelCaller(owner, ["user"]);
            if ((value / 3) % 2 == 0 || everCreated.Count == 0)
            {
                var created = Sync.Run(service.CreateAsync(caller, Model.Name, null, null));
                live[owner].Add(created.Instance!.InstanceId);
                everCreated.Add((owner, created.Instance.InstanceId));
            }
            else
            {
                var target = everCreated[(int)(value / 6 % (uint)everCreated.Count)];
                var shouldDelete = target.Owner == owner && live[owner].Contains(target.Id);
                Assert.Equal(shouldDelete, Sync.Run(service.DeleteAsync(caller, target.Id)));
                if (shouldDelete)
                {
                    live[owner].Remove(target.Id);
                }
            }
        }

        foreach (var owner in Owners)
        {
            var caller = new ModelCaller(owner, ["user"]);
            Assert.Equal(live[owner], Sync.Run(service.ListAsync(caller)).Select(i => i.InstanceId));

            foreach (var (creator, id) in everCreated)
            {
                var visible = creator == owner && live[owner].Contains(id);
                var got = Sync.Run(service.GetAsync(caller, id));
                Assert.Equal(visible, got is not null);
                Assert.Equal(visible, Sync.Run(service.GetStateAsync(caller, id)).HasValue);
                if (got is not null)
                {
                    Assert.Equal(owner, got.OwnerSubject);
                }
            }
        }

        // Deleting what one may not see changes nothing: every other owner's delete of every id fails.
        foreach (var (creator, id) in everCreated)
        {
            foreach (var other in Owners.Where(o => o != creator))
            {
                Assert.False(Sync.Run(service.DeleteAsync(new ModelCaller(other, ["user"]), id)));
            }
        }

        foreach (var owner in Owners)
        {
            Assert.Equal(live[owner].Count, Sync.Run(service.ListAsync(new ModelCaller(owner, ["user"]))).Count);
        }
    }
}
