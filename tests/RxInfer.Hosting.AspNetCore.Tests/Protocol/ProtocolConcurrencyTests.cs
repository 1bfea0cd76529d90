using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Many requests on one instance at once, over HTTP: nothing lost, nothing numbered twice, no half-applied call.</summary>
public sealed class ProtocolConcurrencyTests
{
    private static Task<TestApp> StartAsync() => TestApp.StartAsync(new TestAppOptions
    {
        Provider = static auth => auth.AddOpaqueTokens(),
        TestModels = true,
    });

    [Fact]
    public async Task A_hundred_parallel_inferences_on_one_instance_count_a_hundred_with_unique_event_ids()
    {
        await using var app = await StartAsync();
        var alice = await ForAsync(app, "alice");
        var id = await alice.CreateInstanceAsync("TestModelInferenceCall");

        var replies = await Task.WhenAll(Enumerable.Range(1, 100).Select(i => Task.Run(() =>
            alice.InferAsync(id, "{\"data\":{\"i\":" + i.ToString(CultureInfo.InvariantCulture) + "}}"))));

        Assert.All(replies, r => r.Ok());
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), replies.Select(r => r.Body.GetProperty("event_id").GetInt64()).Order());
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":100}}""");
        var events = (await alice.EpisodeAsync(id, "default")).Body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), events.Select(e => e.GetProperty("event_id").GetInt64()));
        Assert.Equal(Enumerable.Range(1, 100).ToHashSet(), events.Select(e => e.GetProperty("data").GetProperty("i").GetInt32()).ToHashSet());

        // Each reply's event holds that reply's data: the id given back is the id stored.
        foreach (var reply in replies)
        {
            var eventId = reply.Body.GetProperty("event_id").GetInt64();
            Assert.Equal(reply.Body.GetProperty("results").GetProperty("i").GetInt32(), events[(int)eventId - 1].GetProperty("data").GetProperty("i").GetInt32());
        }
    }

    [Fact]
    public async Task Parallel_attaches_and_wipes_keep_every_call_whole_and_ids_contiguous_from_one()
    {
        await using var app = await StartAsync();
        var alice = await ForAsync(app, "alice");
        var id = await alice.CreateInstanceAsync();

        var calls = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            if (i % 10 == 9)
            {
                (await alice.WipeAsync(id, "default")).Ok("""{"message":"Episode wiped successfully"}""");
                return;
            }

            var call = i.ToString(CultureInfo.InvariantCulture);
            var events = string.Join(",", Enumerable.Range(0, 3).Select(part => "{\"data\":{\"call\":" + call + ",\"part\":" + part.ToString(CultureInfo.InvariantCulture) + "}}"));
            (await alice.AttachAsync(id, "default", "[" + events + "]")).Ok();
        }));
        await Task.WhenAll(calls);

        var events = (await alice.EpisodeAsync(id, "default")).Body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("event_id").GetInt64()));
        Assert.Equal(0, events.Count % 3);
        for (var start = 0; start < events.Count; start += 3)
        {
            var call = events[start].GetProperty("data").GetProperty("call").GetInt32();
            for (var part = 0; part < 3; part++)
            {
                Assert.Equal(call, events[start + part].GetProperty("data").GetProperty("call").GetInt32());
                Assert.Equal(part, events[start + part].GetProperty("data").GetProperty("part").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Inference_and_learning_interleaved_in_parallel_lose_no_update()
    {
        await using var app = await StartAsync();
        var alice = await ForAsync(app, "alice");
        var id = await alice.CreateInstanceAsync();

        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => Task.Run(async () =>
        {
            if (i % 4 == 0)
            {
                (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok();
            }
            else
            {
                (await alice.InferAsync(id, """{"data":{"observation":1}}""")).Ok();
            }
        })));
        var learned = (await alice.LearnAsync(id, """{"episodes":["default"]}""")).Ok().Body;

        // 30 observations of 1 each, every one fed exactly once across the 11 learning calls.
        Json.Equal("""{"learned_parameters":{"parameter":30}}""", learned);
        (await alice.GetAsync($"{I(id)}/state")).Ok("""{"state":{"number_of_inference_calls":30,"number_of_learning_calls":11,"number_of_processed_events":30}}""");
    }
}
