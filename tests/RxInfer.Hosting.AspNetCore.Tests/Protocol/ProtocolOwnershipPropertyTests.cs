using System.Globalization;
using System.Net;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>One host for every run of the property: each run makes its own instances.</summary>
public sealed class ProtocolOwnershipHost : IAsyncLifetime
{
    internal TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() =>
        App = await TestApp.StartAsync(new TestAppOptions { Provider = static auth => auth.AddOpaqueTokens(), TestModels = true });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Two identities, any sequence of part-2 operations over HTTP: the second never observes or alters the first's data.
/// Every operation the second makes on the first's instance answers exactly (status and body) what it answers for an
/// instance that does not exist, and everything the first can read stays as it was.
/// </summary>
public sealed class ProtocolOwnershipPropertyTests(ProtocolOwnershipHost host) : IClassFixture<ProtocolOwnershipHost>
{
    private static readonly string[] Episodes = ["default", "e1", "a/b %"];

    private static T Run<T>(Func<Task<T>> action) => Task.Run(action).GetAwaiter().GetResult();

    /// <summary>
    /// Each step is decoded from an int: who acts (alice or bob), which of eleven operations, on which episode and
    /// event id, and, for bob, whether he aims at alice's instance or at his own.
    /// </summary>
    [Property(MaxTest = 30)]
    public void Another_identity_never_observes_or_alters_the_first_ones_data(int[] steps) => Run(async () =>
    {
        var app = host.App;
        var run = Guid.NewGuid().ToString("N");
        var alice = await ForAsync(app, "alice-" + run);
        var bob = await ForAsync(app, "bob-" + run);
        var aliceInstance = await alice.CreateInstanceAsync();
        var bobInstance = await bob.CreateInstanceAsync();

        foreach (var step in (steps ?? []).Take(25))
        {
            var value = (uint)step;
            var actor = value % 2 == 0 ? alice : bob;
            var operation = (int)(value / 2 % 11);
            var episode = Episodes[value / 22 % 3];
            var eventId = (value / 66 % 3 + 1).ToString(CultureInfo.InvariantCulture);

            if (actor == alice)
            {
                var own = await SendAsync(alice, aliceInstance, operation, episode, eventId);
                Assert.True((int)own.Status < 500, own.Text);
                continue;
            }

            var target = value / 198 % 2 == 0 ? aliceInstance : bobInstance;
            var before = await alice.SnapshotAsync(aliceInstance);
            var reply = await SendAsync(bob, target, operation, episode, eventId);
            Assert.True((int)reply.Status < 500, reply.Text);
            if (target == aliceInstance)
            {
                var missing = await SendAsync(bob, Guid.NewGuid(), operation, episode, eventId);
                Assert.Equal((missing.Status, missing.Text), (reply.Status, reply.Text));
                Assert.Contains(reply.Status, new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest });
            }

            Assert.Equal(before, await alice.SnapshotAsync(aliceInstance));
        }

        Assert.Equal([aliceInstance.ToString()], (await alice.GetAsync("/v1/models/instances")).Body.EnumerateArray().Select(i => i.GetProperty("instance_id").GetString()));
        Assert.Equal([bobInstance.ToString()], (await bob.GetAsync("/v1/models/instances")).Body.EnumerateArray().Select(i => i.GetProperty("instance_id").GetString()));
        return true;
    });

    private static Task<Reply> SendAsync(ProtocolClient client, Guid id, int operation, string episode, string eventId) => operation switch
    {
        0 => client.GetAsync($"{I(id)}/parameters"),
        1 => client.InferAsync(id, $$"""{"data":{"observation":1},"episode_name":{{System.Text.Json.JsonSerializer.Serialize(episode)}}}"""),
        2 => client.LearnAsync(id, $$"""{"episodes":[{{System.Text.Json.JsonSerializer.Serialize(episode)}}],"relearn":true}"""),
        3 => client.CreateEpisodeAsync(id, episode),
        4 => client.GetAsync($"{I(id)}/episodes"),
        5 => client.EpisodeAsync(id, episode),
        6 => client.DeleteAsync(E(id, episode)),
        7 => client.AttachAsync(id, episode, """[{"data":{"observation":2},"metadata":{"by":"someone"}}]"""),
        8 => client.WipeAsync(id, episode),
        9 => client.MetadataAsync(id, episode, eventId, """{"metadata":{"changed":true}}"""),
        _ => client.GetAsync($"{I(id)}/state"),
    };
}
