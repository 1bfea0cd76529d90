using System.Text;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The other places a client's text is decoded, on the sample host's real Kestrel pipeline: route values (percent-encoded
/// bytes that are not UTF-8) and headers (raw bytes that are not ASCII or not UTF-8). Kestrel keeps an invalid
/// percent-encoding as the literal text and answers malformed header bytes itself with an empty 400 before the
/// application runs, so no handler meets text it cannot decode: every answer is a 4xx, and the application's answers
/// carry the contract body. Never a 500.
/// </summary>
public sealed class PathAndHeaderTextTests(SampleHostFixture fixture) : IClassFixture<SampleHostFixture>
{
    private static readonly byte[] DevToken = "Authorization: Bearer dev-token"u8.ToArray();

    public static TheoryData<string> NonUtf8Escapes => new() { "%FF", "%ED%A0%80", "%C0%AF", "%C3", "%F4%90%80%80", "a%80b", "%E2%9C" };

    [Theory]
    [MemberData(nameof(NonUtf8Escapes))]
    public async Task A_model_name_of_bytes_that_are_not_utf8_is_404_naming_the_literal_text(string escaped)
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, "GET", Encoding.ASCII.GetBytes("/v1/models/available/" + escaped), DevToken);

        Assert.Equal(404, response.Status);
        Assert.Equal($$"""{"error":"Not Found","message":"The requested model name `{{escaped}}` could not be found"}""", response.Body);
    }

    [Theory]
    [MemberData(nameof(NonUtf8Escapes))]
    public async Task An_instance_id_of_bytes_that_are_not_utf8_is_404_for_every_instance_operation(string escaped)
    {
        foreach (var (method, path) in new[] { ("GET", "/v1/models/i/{0}"), ("GET", "/v1/models/i/{0}/state"), ("DELETE", "/v1/models/i/{0}") })
        {
            var response = await RawHttp.SendAsync(fixture.Host.Address, method, Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, escaped)), DevToken);

            Assert.Equal(404, response.Status);
            Assert.Equal("""{"error":"Not Found","message":"The requested model instance could not be found"}""", response.Body);
        }
    }

    public static TheoryData<string, string, byte[], int> Headers => new()
    {
        // UTF-8 that is not ASCII reaches the application as text: a token or key that is simply wrong.
        { "GET", "/v1/token/roles", [.. "Authorization: Bearer "u8, 0xC3, 0xBC], 401 },
        { "POST", "/v1/token/generate", [.. "Authorization: Bearer "u8, 0xE2, 0x9C, 0x93], 401 },
        { "POST", "/v1/token/generate", [.. "Authorization: Basic "u8, 0xE2, 0x9C, 0x93], 401 },
        { "POST", "/v1/token/generate", [.. "X-API-Key: "u8, 0xC3, 0xBC], 401 },
        // Basic credentials whose decoded bytes are not UTF-8.
        { "POST", "/v1/token/generate", [.. "Authorization: Basic "u8, .. Encoding.ASCII.GetBytes(Convert.ToBase64String([0xFF, (byte)':', 0x41]))], 401 },
        // Bytes that are not UTF-8 at all: Kestrel refuses the request before the application sees it.
        { "GET", "/v1/token/roles", [.. "Authorization: Bearer dev-token"u8, 0xFF], 400 },
        { "POST", "/v1/token/generate", [.. "X-API-Key: "u8, 0xFF], 400 },
        { "POST", "/v1/token/generate", [.. "X-API-Key: "u8, 0xED, 0xA0, 0x80], 400 },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task A_header_of_text_that_is_not_ascii_is_a_4xx_and_the_applications_answer_has_the_contract_body(string method, string path, byte[] header, int status)
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, method, Encoding.ASCII.GetBytes(path), header);

        Assert.Equal(status, response.Status);
        if (status == 401)
        {
            Assert.StartsWith("""{"error":"Unauthorized","message":"The request requires authentication""", response.Body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("", response.Body); // Kestrel's own 400: the application never ran
        }
    }

    [Fact]
    public async Task A_nul_in_a_path_is_refused_by_kestrel_before_the_application()
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, "GET", "/v1/models/available/%00"u8.ToArray(), DevToken);

        Assert.Equal(400, response.Status);
        Assert.Equal("", response.Body);
    }
}
