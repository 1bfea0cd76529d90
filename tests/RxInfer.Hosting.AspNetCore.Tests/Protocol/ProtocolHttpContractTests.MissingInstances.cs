using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Another identity's, a missing and a deleted instance: the same 404 for every operation, and nothing changes.</summary>
public abstract partial class ProtocolHttpContractTests
{
    public static TheoryData<string, string, string?, string> EveryOperation => new()
    {
        { "GET", "/parameters", null, InstanceNotFound },
        { "POST", "/infer", """{"data":{"observation":1}}""", InstanceNotFound },
        { "POST", "/learn", """{"episodes":["default"]}""", InstanceNotFound },
        { "POST", "/create-episode", """{"name":"e"}""", InstanceNotFound },
        { "GET", "/episodes", null, InstanceNotFound },
        { "GET", "/episodes/default", null, InstanceNotFound },
        { "DELETE", "/episodes/e1", null, ModelNotFound },
        { "POST", "/episodes/default/attach-events", """{"events":[{"data":{"observation":1}}]}""", ModelNotFound },
        { "POST", "/episodes/default/wipe", null, ModelNotFound },
        { "POST", "/episodes/default/events/1/attach-metadata", """{"metadata":{"k":1}}""", ModelNotFound },
    };

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Another_identity_a_missing_and_a_deleted_instance_get_the_same_404_and_nothing_changes(string method, string suffix, string? body, string message)
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync();
        await alice.CreateEpisodeAsync(id, "e1");
        await alice.AttachAsync(id, "default", """[{"data":{"observation":1},"metadata":{"keep":true}}]""");
        var deleted = await alice.CreateInstanceAsync();
        (await alice.DeleteAsync(I(deleted))).Ok();
        var bob = await ForAsync(app, "bob");
        var before = await alice.SnapshotAsync(id);

        foreach (var (caller, target) in new[] { (bob, I(id)), (bob, I(Guid.NewGuid())), (alice, I(Guid.NewGuid())), (alice, I(deleted)), (alice, "/v1/models/i/not-a-uuid") })
        {
            (await caller.SendAsync(new HttpMethod(method), target + suffix, body)).NotFound(message);
        }

        Assert.Equal(before, await alice.SnapshotAsync(id));
    }
}
