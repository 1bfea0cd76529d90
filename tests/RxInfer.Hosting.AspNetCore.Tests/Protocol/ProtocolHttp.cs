using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>One HTTP exchange: status, content type and the body parsed as JSON (undefined when empty).</summary>
internal sealed record Reply(HttpStatusCode Status, string? ContentType, JsonElement Body, string Text)
{
    /// <summary>Asserts the status and that the body equals <paramref name="expected"/> (JSON, object property order ignored).</summary>
    public Reply Is(HttpStatusCode status, string expected)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal("application/json", ContentType);
        Json.Equal(expected, Body);
        return this;
    }

    public Reply Ok(string expected) => Is(HttpStatusCode.OK, expected);

    public Reply Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Text}");
        return this;
    }

    public Reply BadRequest(string message) => Is(HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { error = "Bad Request", message }));

    public Reply NotFound(string message) => Is(HttpStatusCode.NotFound, JsonSerializer.Serialize(new { error = "Not Found", message }));
}

/// <summary>Calls of the protocol's part 2 on a <see cref="TestApp"/> as one identity.</summary>
internal sealed class ProtocolClient(TestApp app, string token)
{
    public const string InstanceNotFound = "The requested model instance could not be found";
    public const string ModelNotFound = "The requested model could not be found";
    public const string EpisodeNotFound = "The requested episode could not be found";

    public TestApp App { get; } = app;

    public string Token { get; } = token;

    /// <summary>A token of the provider under test for <paramref name="subject"/>, with the test models' role.</summary>
    public static async Task<ProtocolClient> ForAsync(TestApp app, string subject, params string[] roles)
    {
        var issued = await app.Services.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest(subject, roles.Length == 0 ? ["user", "test-only"] : roles));
        return new ProtocolClient(app, issued.Token);
    }

    /// <summary>A path segment for an episode name, percent-encoded (every reserved character, spaces included).</summary>
    public static string Segment(string name) => Uri.EscapeDataString(name);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var response = await App.SendAsync(method, path, Token, json);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body = default;
        if (text.Length > 0)
        {
            using var document = JsonDocument.Parse(text);
            body = document.RootElement.Clone();
        }

        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, text);
    }

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Reply> PostAsync(string path, string? json = null) => SendAsync(HttpMethod.Post, path, json);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public async Task<Guid> CreateInstanceAsync(string model = "TestModelLearningCall", string? arguments = null)
    {
        var reply = await PostAsync("/v1/models/create-instance", arguments is null
            ? $$"""{"model_name":"{{model}}"}"""
            : $$"""{"model_name":"{{model}}","arguments":{{arguments}}}""");
        reply.Ok();
        return Guid.Parse(reply.Body.GetProperty("instance_id").GetString()!);
    }

    public static string I(Guid id) => $"/v1/models/i/{id}";

    public static string E(Guid id, string episode) => $"/v1/models/i/{id}/episodes/{Segment(episode)}";

    public Task<Reply> InferAsync(Guid id, string json) => PostAsync($"{I(id)}/infer", json);

    public Task<Reply> LearnAsync(Guid id, string json) => PostAsync($"{I(id)}/learn", json);

    public Task<Reply> CreateEpisodeAsync(Guid id, string name) => PostAsync($"{I(id)}/create-episode", JsonSerializer.Serialize(new { name }));

    public Task<Reply> AttachAsync(Guid id, string episode, string events) => PostAsync($"{E(id, episode)}/attach-events", $$"""{"events":{{events}}}""");

    public Task<Reply> WipeAsync(Guid id, string episode) => PostAsync($"{E(id, episode)}/wipe");

    public Task<Reply> EpisodeAsync(Guid id, string episode) => GetAsync(E(id, episode));

    public Task<Reply> MetadataAsync(Guid id, string episode, string eventId, string json) => PostAsync($"{E(id, episode)}/events/{eventId}/attach-metadata", json);

    /// <summary>Everything the owner can read about an instance, as one JSON text, to compare before and after.</summary>
    public async Task<string> SnapshotAsync(Guid id)
    {
        var instance = await GetAsync(I(id));
        var state = await GetAsync($"{I(id)}/state");
        var parameters = await GetAsync($"{I(id)}/parameters");
        var episodes = await GetAsync($"{I(id)}/episodes");
        return $"{(int)instance.Status} {instance.Text}\n{(int)state.Status} {state.Text}\n{(int)parameters.Status} {parameters.Text}\n{(int)episodes.Status} {episodes.Text}";
    }

    /// <summary>Attaches <c>{"observation": i}</c> for i in <paramref name="from"/>..<paramref name="to"/>.</summary>
    public static string Observations(int from, int to) =>
        "[" + string.Join(",", Enumerable.Range(from, to - from + 1).Select(i => "{\"data\":{\"observation\":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}")) + "]";
}
