using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Metadata attached to inference events.</summary>
public abstract partial class ProtocolHttpContractTests
{
    [Fact]
    public async Task Metadata_attaches_to_an_inference_event_and_only_to_it()
    {
        var (app, alice) = await StartWithAliceAsync(this);
        await using var _ = app;
        var id = await alice.CreateInstanceAsync("TestModelInferenceCall");
        var first = (await alice.InferAsync(id, """{"data":{"observation":1}}""")).Body.GetProperty("event_id").GetInt64();
        var second = (await alice.InferAsync(id, """{"data":{"observation":2}}""")).Body.GetProperty("event_id").GetInt64();

        (await alice.MetadataAsync(id, "default", first.ToString(System.Globalization.CultureInfo.InvariantCulture), """{"metadata":{"key":"value","hello":"world"}}"""))
            .Ok("""{"message":"Metadata attached to the event successfully"}""");
        var events = (await alice.EpisodeAsync(id, "default")).Body.GetProperty("events");
        Json.Equal("""{"key":"value","hello":"world"}""", events[0].GetProperty("metadata"));
        Assert.False(events[1].TryGetProperty("metadata", out var _));

        (await alice.MetadataAsync(id, "default", second.ToString(System.Globalization.CultureInfo.InvariantCulture), """{"metadata":{"another_key":"another_value"}}""")).Ok();
        events = (await alice.EpisodeAsync(id, "default")).Body.GetProperty("events");
        Json.Equal("""{"key":"value","hello":"world"}""", events[0].GetProperty("metadata"));
        Json.Equal("""{"another_key":"another_value"}""", events[1].GetProperty("metadata"));

        (await alice.MetadataAsync(id, "default", "3", """{"metadata":{}}""")).BadRequest("Unable to attach metadata to the event due to internal error");
        (await alice.MetadataAsync(id, "nope", "1", """{"metadata":{}}""")).NotFound("The requested episode could not be found or the event with the specified ID does not exist");
    }
}
