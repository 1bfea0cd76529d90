using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Input a client controls, each case by name: every one is a 4xx with the contract's body and content type, never
/// a 500 or an HTML page, and a rejected create changes nothing.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string Create = "/v1/models/create-instance";
    private const string UnauthorizedMessage = "The request requires authentication, generate a token using the /token/generate endpoint or use the development token `dev-token`";
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(new TestAppOptions { Provider = static auth => auth.AddOpaqueTokens(), MaxRequestBodySize = 4096 });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, Action<HttpRequestMessage> setup)
    {
        using var request = new HttpRequestMessage(method, path);
        setup(request);
        return await _app.Client.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string? message = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["error", "message"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(error, body.GetProperty("error").GetString());
        if (message is not null)
        {
            Assert.Equal(message, body.GetProperty("message").GetString());
        }
    }

    private async Task AssertCreateRejectedAsync(HttpResponseMessage response, string message)
    {
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Bad Request", message);
        await HttpContractTests.AssertNoInstancesAsync(_app, "dev-token");
    }

    private Task<HttpResponseMessage> CreateWithAsync(string body, string contentType = "application/json") =>
        SendRawAsync(HttpMethod.Post, Create, request =>
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer dev-token");
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = null;
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        });

    // ---- Authorization header --------------------------------------------------------------------------------

    [Fact]
    public async Task Duplicate_authorization_headers_are_no_token()
    {
        using var response = await SendRawAsync(HttpMethod.Get, "/v1/token/roles", request =>
            request.Headers.TryAddWithoutValidation("Authorization", ["Bearer dev-token", "Bearer dev-token:admin"]));
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Huge_authorization_header_is_401_and_the_challenge_does_not_echo_it()
    {
        var token = "rxi_" + new string('A', 100_000);
        using var response = await SendRawAsync(HttpMethod.Get, "/v1/token/roles", request =>
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.True(challenge.Length < 200);
    }

    [Theory]
    [InlineData("Bearer dev-token dev-token:admin")] // two tokens
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("dev-token")] // no scheme
    [InlineData("Token dev-token")]
    [InlineData("Bearer,dev-token")]
    [InlineData("Bearer dev-token, Bearer dev-token")]
    public async Task Malformed_authorization_header_is_no_token(string header)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "/v1/token/roles", request =>
            request.Headers.TryAddWithoutValidation("Authorization", header));
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized", UnauthorizedMessage);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Theory]
    [InlineData("bearer dev-token")]
    [InlineData("BEARER dev-token")]
    [InlineData("  Bearer \t dev-token  ")]
    public async Task Scheme_word_is_case_insensitive_and_whitespace_is_trimmed(string header)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "/v1/token/roles", request =>
            request.Headers.TryAddWithoutValidation("Authorization", header));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Json.Equal("""{"roles":["user"]}""", await Json.ReadAsync(response));
    }

    // ---- bodies ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Non_json_body_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("model_name=coin-toss-v1"), "The request body is not valid JSON");

    [Fact]
    public async Task Truncated_json_body_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""{"model_name":"coin-toss-v1" """), "The request body is not valid JSON");

    [Fact]
    public async Task Empty_body_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync(""), "The request body is empty, a JSON object is required");

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task Wrong_content_type_is_400(string contentType) =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""{"model_name":"coin-toss-v1"}""", contentType), "The request body must have Content-Type application/json");

    [Fact]
    public async Task Missing_content_type_is_400()
    {
        using var response = await SendRawAsync(HttpMethod.Post, Create, request =>
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer dev-token");
            request.Content = new ByteArrayContent("""{"model_name":"coin-toss-v1"}"""u8.ToArray());
        });
        await AssertCreateRejectedAsync(response, "The request body must have Content-Type application/json");
    }

    [Fact]
    public async Task Json_array_body_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""[{"model_name":"coin-toss-v1"}]"""), "The request body must be a JSON object");

    [Fact]
    public async Task Model_name_as_a_number_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""{"model_name":42}"""), "The field model_name must be a string");

    [Fact]
    public async Task Missing_model_name_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""{"arguments":{}}"""), "The field model_name is required");

    [Fact]
    public async Task Arguments_that_are_not_an_object_are_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""{"model_name":"coin-toss-v1","arguments":[1,2]}"""), "model instance arguments must be a JSON object");

    [Fact]
    public async Task Description_that_is_not_a_string_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync("""{"model_name":"coin-toss-v1","description":7}"""), "The field description must be a string");

    [Fact]
    public async Task Unknown_fields_are_accepted()
    {
        using var response = await CreateWithAsync("""{"model_name":"coin-toss-v1","colour":"blue","nested":{"a":[1]}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Description_of_129_characters_is_400() =>
        await AssertCreateRejectedAsync(
            await CreateWithAsync(JsonSerializer.Serialize(new { model_name = "coin-toss-v1", description = new string('d', 129) })),
            "model instance description must be at most 128 characters long");

    [Fact]
    public async Task Description_of_128_characters_is_200()
    {
        var description = new string('d', 128);
        using var response = await CreateWithAsync(JsonSerializer.Serialize(new { model_name = "coin-toss-v1", description }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await Json.ReadAsync(response)).GetProperty("instance_id").GetString();
        using var get = await _app.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", "dev-token");
        Assert.Equal(description, (await Json.ReadAsync(get)).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Oversized_body_is_400()
    {
        var body = JsonSerializer.Serialize(new { model_name = "coin-toss-v1", arguments = new { padding = new string('x', 5000) } });
        await AssertCreateRejectedAsync(await CreateWithAsync(body), "The request body is larger than the limit of 4096 bytes");
    }

    [Fact]
    public async Task Oversized_chunked_body_without_content_length_is_400()
    {
        var body = JsonSerializer.Serialize(new { model_name = "coin-toss-v1", arguments = new { padding = new string('x', 5000) } });
        using var response = await SendRawAsync(HttpMethod.Post, Create, request =>
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer dev-token");
            request.Content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body)));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        });
        await AssertCreateRejectedAsync(response, "The request body is larger than the limit of 4096 bytes");
    }

    [Fact]
    public async Task Deeply_nested_json_is_400() =>
        await AssertCreateRejectedAsync(await CreateWithAsync(new string('[', 100) + new string(']', 100)), "The request body is not valid JSON");

    // ---- path values -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("/v1/models/available/100%25", "100%")]
    [InlineData("/v1/models/available/%C3%BCnic%C3%B8de-%E2%9C%93", "ünicøde-✓")]
    [InlineData("/v1/models/available/a%20b", "a b")]
    public async Task Model_name_with_special_characters_is_404_with_the_contract_body(string path, string name)
    {
        using var response = await _app.SendAsync(HttpMethod.Get, path, "dev-token");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "Not Found", $"The requested model name `{name}` could not be found");
    }

    [Theory]
    [InlineData("/v1/models/available/a%2Fb")]
    [InlineData("/v1/models/available/a/b")]
    [InlineData("/v1/models/available/coin-toss-v1/extra")]
    public async Task Model_name_with_a_slash_is_404_with_the_contract_body(string path)
    {
        using var response = await _app.SendAsync(HttpMethod.Get, path, "dev-token");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "Not Found");
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("100%25")]
    [InlineData("%C3%BC")]
    [InlineData("a%2Fb")]
    [InlineData("00000000-0000-0000-0000-00000000000")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task Instance_id_that_is_not_a_known_uuid_is_404_instance_not_found(string id)
    {
        foreach (var (method, path) in new[] { ("GET", $"/v1/models/i/{id}"), ("GET", $"/v1/models/i/{id}/state"), ("DELETE", $"/v1/models/i/{id}") })
        {
            using var response = await _app.SendAsync(new HttpMethod(method), path, "dev-token");
            await AssertErrorAsync(response, HttpStatusCode.NotFound, "Not Found", "The requested model instance could not be found");
        }
    }

    [Theory]
    [InlineData("/v1/models/i/a/b")]
    [InlineData("/v1/models/nothing-here")]
    [InlineData("/v1/token/nothing-here")]
    public async Task Unknown_paths_under_the_api_are_404_with_the_contract_body(string path)
    {
        using var response = await _app.SendAsync(HttpMethod.Get, path, "dev-token");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "Not Found", "The requested resource could not be found");
    }

    [Fact]
    public async Task Unknown_path_under_models_needs_a_token_first()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/models/nothing-here");
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task Error_bodies_write_backticks_as_backticks()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/models/available/nope", "dev-token");
        Assert.Equal(
            """{"error":"Not Found","message":"The requested model name `nope` could not be found"}""",
            await response.Content.ReadAsStringAsync());

        using var unauthorized = await _app.SendAsync(HttpMethod.Get, "/v1/token/roles");
        Assert.Equal(
            """{"error":"Unauthorized","message":"The request requires authentication, generate a token using the /token/generate endpoint or use the development token `dev-token`"}""",
            await unauthorized.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_request_exception_in_a_host_endpoint_is_left_to_the_host()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/host/bad", "dev-token");

        // The host's pipeline decides (here ASP.NET Core's default: 500 with problem details); the adapter's body is for its own requests.
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Service_unavailable_in_a_host_endpoint_is_503_with_retry_after_rounded_up_in_the_hosts_format_without_inner_detail()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/host/unavailable", "dev-token");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("3", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-host", text, StringComparison.Ordinal);
        Assert.Equal("The store is unreachable", (await Json.ReadAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Route_constraint_failure_in_a_host_endpoint_is_the_hosts_404()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/host/number/abc", "dev-token");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_method_is_a_4xx_with_the_contract_shape()
    {
        using var response = await _app.SendAsync(HttpMethod.Put, "/v1/token/roles", "dev-token");
        Assert.True((int)response.StatusCode is >= 400 and < 500, response.StatusCode.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["error", "message"], body.EnumerateObject().Select(p => p.Name));
    }

    /// <summary>A stream without a length, so the client sends the body chunked with no Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
