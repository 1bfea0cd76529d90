using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using static RxInfer.Hosting.AspNetCore.Tests.ProtocolClient;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Bad input to the part-2 operations, each case by name: a 400 with a clear message in the contract's body, never a
/// 500, and the instance (state, parameters, episodes, events) exactly as it was. The limits are set small here.
/// </summary>
public sealed class ProtocolBadInputTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private ProtocolClient _alice = null!;
    private Guid _id;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(new TestAppOptions
        {
            Provider = static auth => auth.AddOpaqueTokens(),
            TestModels = true,
            MaxRequestBodySize = 2048,
            Models = static o =>
            {
                o.MaxEventsPerAttach = 3;
                o.MaxEventsPerEpisode = 4;
                o.MaxEpisodesPerInstance = 3;
                o.MaxEventDataSize = 64;
                o.MaxEventMetadataSize = 32;
            },
        });
        _alice = await ForAsync(_app, "alice");
        _id = await _alice.CreateInstanceAsync();
        await _alice.CreateEpisodeAsync(_id, "e1");
        await _alice.AttachAsync(_id, "default", """[{"data":{"observation":1},"metadata":{"m":1}},{"data":{"observation":2}}]""");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string Big(int length) => new('x', length);

    /// <summary>Sends the request and checks the 400 and that nothing about the instance changed.</summary>
    private async Task AssertRefusedAsync(HttpMethod method, string path, string? body, string message)
    {
        var before = await _alice.SnapshotAsync(_id);
        (await _alice.SendAsync(method, path, body)).BadRequest(message);
        Assert.Equal(before, await _alice.SnapshotAsync(_id));
    }

    public static TheoryData<string, string> BadInference => new()
    {
        { "{}", "The field data is required" },
        { """{"data":null}""", "The field data is required" },
        { """{"data":[1,2]}""", "The field data must be a JSON object" },
        { """{"data":"text"}""", "The field data must be a JSON object" },
        { """{"data":5}""", "The field data must be a JSON object" },
        { """{"data":{},"timestamp":5}""", "The field timestamp must be an ISO 8601 date and time, such as 2024-03-20T12:00:00Z" },
        { """{"data":{},"timestamp":"yesterday"}""", "The field timestamp must be an ISO 8601 date and time, such as 2024-03-20T12:00:00Z" },
        { """{"data":{},"timestamp":"2024-13-45T99:00:00Z"}""", "The field timestamp must be an ISO 8601 date and time, such as 2024-03-20T12:00:00Z" },
        { """{"data":{},"episode_name":5}""", "The field episode_name must be a string" },
        { """{"data":{},"episode_name":["default"]}""", "The field episode_name must be a string" },
        { """{"data":{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""", "The event data is larger than the limit of 64 bytes" },
        { "[]", "The request body must be a JSON object" },
        { "{\"data\":", "The request body is not valid JSON" },
        { "", "The request body is empty, a JSON object is required" },
    };

    [Theory]
    [MemberData(nameof(BadInference))]
    public Task Bad_inference_bodies_are_400(string body, string message) =>
        AssertRefusedAsync(HttpMethod.Post, $"{I(_id)}/infer", body, message);

    public static TheoryData<string, string> BadLearning => new()
    {
        { "{}", "The field episodes is required" },
        { """{"episodes":"default"}""", "The field episodes must be an array of episode names" },
        { """{"episodes":{"name":"default"}}""", "The field episodes must be an array of episode names" },
        { """{"episodes":[1]}""", "The field episodes must be an array of episode names" },
        { """{"episodes":["default",null]}""", "The field episodes must be an array of episode names" },
        { """{"episodes":["default"],"relearn":"yes"}""", "The field relearn must be a boolean" },
        { """{"episodes":["default"],"relearn":1}""", "The field relearn must be a boolean" },
        { """{"episodes":["default","e1"]}""", "Learning is supported only for one episode at a time" },
    };

    [Theory]
    [MemberData(nameof(BadLearning))]
    public Task Bad_learning_bodies_are_400(string body, string message) =>
        AssertRefusedAsync(HttpMethod.Post, $"{I(_id)}/learn", body, message);

    public static TheoryData<string, string> BadEpisodes => new()
    {
        { "{}", "The field name is required" },
        { """{"name":5}""", "The field name must be a string" },
        { """{"name":""}""", "The episode name must not be empty" },
        { """{"name":"e1"}""", "The requested episode already exists" },
    };

    [Theory]
    [MemberData(nameof(BadEpisodes))]
    public Task Bad_create_episode_bodies_are_400(string body, string message) =>
        AssertRefusedAsync(HttpMethod.Post, $"{I(_id)}/create-episode", body, message);

    [Fact]
    public async Task The_episode_limit_is_400_and_nothing_is_created()
    {
        (await _alice.CreateEpisodeAsync(_id, "e2")).Ok();
        await AssertRefusedAsync(HttpMethod.Post, $"{I(_id)}/create-episode", """{"name":"e3"}""", "The model instance already has the maximum of 3 episodes; delete one first");
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { "{}", "The field events is required" },
        { """{"events":{}}""", "The field events must be an array of events" },
        { """{"events":"x"}""", "The field events must be an array of events" },
        { """{"events":[1]}""", "Each event must be a JSON object (event 1)" },
        { """{"events":[{},[]]}""", "Each event must be a JSON object (event 2)" },
        { """{"events":[{"data":[1]}]}""", "The event data must be a JSON object" },
        { """{"events":[{"data":{}},{"data":"x"}]}""", "The event data must be a JSON object (event 2 of 2)" },
        { """{"events":[{"metadata":5}]}""", "The event metadata must be a JSON object" },
        { """{"events":[{"timestamp":"soon"}]}""", "The field timestamp of event 1 must be an ISO 8601 date and time, such as 2024-03-20T12:00:00Z" },
        { """{"events":[{"processed":"no"}]}""", "The field processed of event 1 must be a boolean" },
        { """{"events":[{"processed":0}]}""", "The field processed of event 1 must be a boolean" },
        { """{"events":[{"data":{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}]}""", "The event data is larger than the limit of 64 bytes" },
        { """{"events":[{"metadata":{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}]}""", "The event metadata is larger than the limit of 32 bytes" },
        { """{"events":[{},{},{},{}]}""", "At most 3 events may be attached in one call" },
        { """{"events":[{},{},{}]}""", "The episode would hold more than the maximum of 4 events; wipe it or use another episode" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public Task Bad_attach_events_bodies_and_limits_are_400_and_attach_nothing(string body, string message) =>
        AssertRefusedAsync(HttpMethod.Post, $"{E(_id, "default")}/attach-events", body, message);

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("+1")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    [InlineData("%20")]
    public Task Event_ids_that_are_not_positive_integers_are_400(string eventId) =>
        AssertRefusedAsync(HttpMethod.Post, $"{E(_id, "default")}/events/{eventId}/attach-metadata", """{"metadata":{"k":1}}""", "The event id in the path must be a positive integer");

    public static TheoryData<string, string> BadMetadata => new()
    {
        { "{}", "The field metadata is required" },
        { """{"metadata":null}""", "The field metadata is required" },
        { """{"metadata":[1]}""", "The field metadata must be a JSON object" },
        { """{"metadata":"x"}""", "The field metadata must be a JSON object" },
        { """{"metadata":{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""", "The event metadata is larger than the limit of 32 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public Task Bad_metadata_bodies_are_400(string body, string message) =>
        AssertRefusedAsync(HttpMethod.Post, $"{E(_id, "default")}/events/1/attach-metadata", body, message);

    [Fact]
    public Task A_missing_event_id_is_400_with_the_protocols_message() =>
        AssertRefusedAsync(HttpMethod.Post, $"{E(_id, "default")}/events/3/attach-metadata", """{"metadata":{"k":1}}""", "Unable to attach metadata to the event due to internal error");

    [Theory]
    [InlineData("/infer")]
    [InlineData("/learn")]
    [InlineData("/create-episode")]
    [InlineData("/episodes/default/attach-events")]
    [InlineData("/episodes/default/events/1/attach-metadata")]
    public async Task Bodies_over_the_size_limit_and_wrong_content_types_are_400(string suffix)
    {
        await AssertRefusedAsync(HttpMethod.Post, I(_id) + suffix, "{\"data\":{\"x\":\"" + Big(3000) + "\"}}", "The request body is larger than the limit of 2048 bytes");

        var before = await _alice.SnapshotAsync(_id);
        using var request = new HttpRequestMessage(HttpMethod.Post, I(_id) + suffix);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _alice.Token);
        request.Content = new StringContent("""{"data":{}}""", Encoding.UTF8, "text/plain");
        using var response = await _app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Json.Equal("""{"error":"Bad Request","message":"The request body must have Content-Type application/json"}""", await Json.ReadAsync(response));
        Assert.Equal(before, await _alice.SnapshotAsync(_id));
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        (await _alice.InferAsync(_id, """{"data":{"observation":1},"unknown":[1,2],"episode_name":"e1"}""")).Ok("""{"event_id":1,"results":{"observation":1},"errors":[]}""");
        (await _alice.LearnAsync(_id, """{"episodes":["e1"],"relearn":null,"extra":true}""")).Ok("""{"learned_parameters":{"parameter":1}}""");
    }
}
