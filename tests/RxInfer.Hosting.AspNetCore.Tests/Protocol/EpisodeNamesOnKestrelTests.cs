using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Episode names in paths on Kestrel (which keeps <c>%2F</c> encoded and removes dot segments, decoded ones
/// included): each path segment is decoded exactly once, and <c>..</c> is a name, never a path step. Requests are sent
/// with their path exactly as written (no client-side canonicalization), to the sample host with its test models.
/// </summary>
public sealed class EpisodeNamesOnKestrelTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _address = null!;
    private string _instance = null!;

    public async Task InitializeAsync()
    {
        _app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", "--RXINFER_SERVER_ENABLE_DEV_TOKEN=true", "--RXINFER_SERVER_LOAD_TEST_MODELS=true"]);
        await _app.StartAsync();
        _address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _client = new HttpClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dev-token:test-only");
        var created = await SendAsync(HttpMethod.Post, "/v1/models/create-instance", """{"model_name":"TestModelLearningCall"}""");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        _instance = created.Body.GetProperty("instance_id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string Episodes => $"/v1/models/i/{_instance}/episodes";

    /// <summary>Sends <paramref name="rawPath"/> byte for byte as the request target.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string rawPath, string? json = null)
    {
        var uri = new Uri(_address + rawPath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : Json.Parse(text));
    }

    private async Task CreateAsync(string name)
    {
        var created = await SendAsync(HttpMethod.Post, $"/v1/models/i/{_instance}/create-episode", JsonSerializer.Serialize(new { name }));
        Assert.True(created.Status == HttpStatusCode.OK, created.Body.ToString());
        Assert.Equal(name, created.Body.GetProperty("episode_name").GetString());
    }

    private async Task<string[]> NamesAsync() =>
        [.. (await SendAsync(HttpMethod.Get, Episodes)).Body.EnumerateArray().Select(e => e.GetProperty("episode_name").GetString()!)];

    [Fact]
    public async Task The_original_servers_bad_episode_name_works_for_every_operation()
    {
        const string name = " %%% -- ////// %% <> >< == () {} [] | # % & * + , / : ; = ? @ [ ]";
        var path = $"{Episodes}/{Uri.EscapeDataString(name)}";
        await CreateAsync(name);

        var info = await SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.Equal(name, info.Body.GetProperty("episode_name").GetString());
        Assert.Equal(_instance, info.Body.GetProperty("instance_id").GetString());
        Assert.Contains(name, await NamesAsync());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"{path}/attach-events", """
            {"events":[{"timestamp":"2024-03-20T12:00:00","data":{"observation":1},"metadata":{"test_key":"test_value"}},
                       {"timestamp":"2024-03-20T12:00:01","data":{"observation":2}}]}
            """)).Status);
        var events = (await SendAsync(HttpMethod.Get, path)).Body.GetProperty("events");
        Assert.Equal(["2024-03-20T12:00:00Z", "2024-03-20T12:00:01Z"], events.EnumerateArray().Select(e => e.GetProperty("timestamp").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"{path}/events/1/attach-metadata", """{"metadata":{"added_key":"added_value"}}""")).Status);
        Json.Equal("""{"added_key":"added_value"}""", (await SendAsync(HttpMethod.Get, path)).Body.GetProperty("events")[0].GetProperty("metadata"));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"{path}/wipe")).Status);
        Assert.Empty((await SendAsync(HttpMethod.Get, path)).Body.GetProperty("events").EnumerateArray());

        var inferred = await SendAsync(HttpMethod.Post, $"/v1/models/i/{_instance}/infer", JsonSerializer.Serialize(new { data = new { observation = 42 }, episode_name = name }));
        Assert.Equal(1, inferred.Body.GetProperty("event_id").GetInt64());
        await SendAsync(HttpMethod.Post, $"{path}/attach-events", """{"events":[{"data":{"observation":1}},{"data":{"observation":2}}]}""");
        var learned = await SendAsync(HttpMethod.Post, $"/v1/models/i/{_instance}/learn", JsonSerializer.Serialize(new { episodes = new[] { name } }));
        Json.Equal("""{"learned_parameters":{"parameter":45}}""", learned.Body);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, path)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, path)).Status);
        Assert.DoesNotContain(name, await NamesAsync());
    }

    [Theory]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("a%2fb", "a/b")]
    [InlineData("%25", "%")]
    [InlineData("%252F", "%2F")]
    [InlineData("100%25%20sure", "100% sure")]
    [InlineData("..", "..")]
    [InlineData("%2E%2E", "..")]
    [InlineData("%2e.", "..")]
    [InlineData(".", ".")]
    [InlineData("%2E", ".")]
    [InlineData("...", "...")]
    [InlineData("x%20y%23%3F%40%5B%5D", "x y#?@[]")]
    [InlineData("%C3%BC%E2%82%AC", "ü€")]
    [InlineData("a+b", "a+b")]
    public async Task Each_path_segment_is_decoded_exactly_once(string segment, string name)
    {
        await CreateAsync(name);
        var path = $"{Episodes}/{segment}";

        var info = await SendAsync(HttpMethod.Get, path);
        Assert.True(info.Status == HttpStatusCode.OK, info.Body.ToString());
        Assert.Equal(name, info.Body.GetProperty("episode_name").GetString());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"{path}/attach-events", """{"events":[{"data":{"observation":3}}]}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"{path}/events/1/attach-metadata", """{"metadata":{"k":1}}""")).Status);
        var events = (await SendAsync(HttpMethod.Get, $"{Episodes}/{Uri.EscapeDataString(name)}")).Body.GetProperty("events");
        Json.Equal("""{"k":1}""", Assert.Single(events.EnumerateArray()).GetProperty("metadata"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"{path}/wipe")).Status);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, path)).Status);
        Assert.Equal(["default"], await NamesAsync());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/v1/models/i/{_instance}")).Status);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("%2E%2E")]
    [InlineData(".")]
    public async Task A_dot_segment_that_names_no_episode_is_a_missing_episode_never_the_instance(string segment)
    {
        var deleted = await SendAsync(HttpMethod.Delete, $"{Episodes}/{segment}");
        Assert.Equal(HttpStatusCode.NotFound, deleted.Status);
        Json.Equal("""{"error":"Not Found","message":"The requested episode could not be found"}""", deleted.Body);

        var wiped = await SendAsync(HttpMethod.Post, $"{Episodes}/{segment}/wipe");
        Json.Equal("""{"error":"Not Found","message":"The requested episode could not be found"}""", wiped.Body);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/v1/models/i/{_instance}")).Status);
        Assert.Equal(["default"], await NamesAsync());
    }

    [Fact]
    public async Task A_dot_segment_after_an_episode_name_is_not_a_path_step()
    {
        await CreateAsync("a");
        await SendAsync(HttpMethod.Post, $"{Episodes}/a/attach-events", """{"events":[{"data":{"observation":1}}]}""");

        var reply = await SendAsync(HttpMethod.Post, $"{Episodes}/a/b/../wipe");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Json.Equal("""{"error":"Not Found","message":"The requested resource could not be found"}""", reply.Body);
        Assert.Single((await SendAsync(HttpMethod.Get, $"{Episodes}/a")).Body.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Requests_without_dot_segments_keep_the_servers_own_path_handling()
    {
        // The host's own routes outside the episodes area see Kestrel's normalised path as always.
        var ping = await SendAsync(HttpMethod.Get, "/v1/models/../ping");
        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Json.Equal("""{"status":"ok"}""", ping.Body);
    }
}
