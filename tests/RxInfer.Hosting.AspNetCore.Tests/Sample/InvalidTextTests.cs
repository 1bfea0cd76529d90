using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// The sample host, started once for a test class, with the development token on and the anonymous-token rate limit
/// off: its tests take a new anonymous subject per case (well over the default 60 a minute from one address); the
/// limit itself is tested in RateLimiting/.
/// </summary>
public sealed class SampleHostFixture : IAsyncLifetime
{
    internal SampleHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await SampleHost.StartAsync(["--RXINFER_SERVER_ENABLE_DEV_TOKEN=true", "--RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=0"]);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// JSON that parses but holds text that is not Unicode (lone surrogate escapes, malformed UTF-8) in any string of a
/// body: every such body is a 400 with the contract body and changes nothing, on the sample host's real pipeline.
/// </summary>
public sealed class InvalidTextTests(SampleHostFixture fixture) : IClassFixture<SampleHostFixture>
{
    internal const string Message = "The request body contains text that is not valid Unicode (malformed UTF-8 or an unpaired surrogate escape)";

    /// <summary>Text that JSON carries but Unicode does not: the raw bytes that go between the quotes.</summary>
    internal static readonly (string Name, byte[] Bytes)[] BadTexts =
    [
        ("lone high surrogate escape", "\\ud800"u8.ToArray()),
        ("lone low surrogate escape", "\\udc00"u8.ToArray()),
        ("high surrogate escape then a letter escape", "\\ud800\\u0041"u8.ToArray()),
        ("high surrogate escape then a plain letter", "\\ud800x"u8.ToArray()),
        ("two high surrogate escapes", "\\udbff\\udbff"u8.ToArray()),
        ("low then high surrogate escape", "\\udc00\\ud800"u8.ToArray()),
        ("raw 0xFF", [0xFF]),
        ("raw 0xFE", [0xFE]),
        ("lone continuation byte", [0x80]),
        ("truncated two-byte sequence", [0xC3]),
        ("overlong slash", [0xC0, 0xAF]),
        ("encoded surrogate (CESU-8)", [0xED, 0xA0, 0x80]),
        ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("five-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("invalid byte after an escape", [(byte)'\\', (byte)'n', 0xFF]),
    ];

    /// <summary>Where a bad text goes: a create-instance body with the marker <c>@</c> where the text is put.</summary>
    internal static readonly (string Name, string Template)[] Positions =
    [
        ("model name", """{"model_name":"@"}"""),
        ("model name after valid text", """{"model_name":"coin-toss-v1@"}"""),
        ("description", """{"model_name":"coin-toss-v1","description":"@"}"""),
        ("argument name", """{"model_name":"coin-toss-v1","arguments":{"@":1}}"""),
        ("argument value", """{"model_name":"coin-toss-v1","arguments":{"heads_prior":"@"}}"""),
        ("nested argument value", """{"model_name":"coin-toss-v1","arguments":{"a":{"b":[1,{"c":"x@y"}]}}}"""),
        ("nested property name", """{"model_name":"coin-toss-v1","arguments":{"a":[{"@":true}]}}"""),
        ("unknown top-level property name", """{"@":"x","model_name":"coin-toss-v1"}"""),
        ("unknown top-level value", """{"model_name":"coin-toss-v1","colour":["blue","@"]}"""),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (position, _) in Positions)
        {
            foreach (var (text, _) in BadTexts)
            {
                data.Add(position, text);
            }
        }

        return data;
    }

    internal static byte[] Fill(string template, byte[] text)
    {
        var marker = template.IndexOf('@', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..marker]), .. text, .. Encoding.UTF8.GetBytes(template[(marker + 1)..])];
    }

    internal static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    internal static async Task AssertInvalidTextAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            $$"""{"error":"Bad Request","message":"{{Message}}"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Create_instance_with_text_that_is_not_unicode_is_400_and_creates_nothing(string position, string text)
    {
        var token = await fixture.Host.GenerateTokenAsync();
        var body = Fill(Positions.Single(p => p.Name == position).Template, BadTexts.Single(t => t.Name == text).Bytes);

        using var response = await fixture.Host.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, JsonContent(body));

        await AssertInvalidTextAsync(response);
        Assert.Empty(await fixture.Host.InstanceIdsAsync(token));
    }

    [Theory]
    [InlineData("""{"model_name":"coin-toss-v1","description":"\ud83d\ude80 rocket"}""", "🚀 rocket")]
    [InlineData("""{"model_name":"coin-toss-v1","description":"ünïcødé ✓ 🚀"}""", "ünïcødé ✓ 🚀")]
    [InlineData("""{"model_name":"coin-toss-v1","description":"soh \u0001 and \uFFFF"}""", "soh \u0001 and \uFFFF")]
    public async Task Valid_unicode_text_and_surrogate_pairs_are_accepted_and_kept_exactly(string json, string description)
    {
        var token = await fixture.Host.GenerateTokenAsync();
        using var created = await fixture.Host.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, JsonContent(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var id = (await Json.ReadAsync(created)).GetProperty("instance_id").GetString();
        using var instance = await fixture.Host.SendAsync(HttpMethod.Get, $"/v1/models/i/{id}", token);
        Assert.Equal(description, (await Json.ReadAsync(instance)).GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_description_with_U0000_which_no_database_keeps_in_text_is_400_and_creates_nothing()
    {
        var token = await fixture.Host.GenerateTokenAsync();
        using var created = await fixture.Host.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, JsonContent("""{"model_name":"coin-toss-v1","description":"nul \u0000"}"""u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal(RxInfer.Models.ModelErrors.DescriptionHasNul, (await Json.ReadAsync(created)).GetProperty("message").GetString());
        Assert.Empty(await fixture.Host.InstanceIdsAsync(token));
    }

    /// <summary>
    /// For any valid create-instance body (random arguments, nested values, unknown fields and descriptions) and any
    /// string in it, value or property name: putting a bad text there, alone or inside valid text, makes the request a
    /// 400 with the contract body that creates nothing, while the same body without it is accepted.
    /// </summary>
    [Property(MaxTest = 150)]
    public Property Any_bad_text_anywhere_in_a_valid_body_is_400_and_changes_nothing() =>
        Prop.ForAll(RandomBodies.Cases().ToArbitrary(), @case =>
        {
            var host = fixture.Host;
            var token = host.GenerateTokenAsync().GetAwaiter().GetResult();

            using (var rejected = host.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, JsonContent(@case.Bad)).GetAwaiter().GetResult())
            {
                AssertInvalidTextAsync(rejected).GetAwaiter().GetResult();
            }

            Assert.Empty(host.InstanceIdsAsync(token).GetAwaiter().GetResult());

            using (var accepted = host.SendAsync(HttpMethod.Post, "/v1/models/create-instance", token, JsonContent(@case.Good)).GetAwaiter().GetResult())
            {
                Assert.True(accepted.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(@case.Good));
            }

            Assert.Single(host.InstanceIdsAsync(token).GetAwaiter().GetResult());
        });
}

/// <summary>Random valid create-instance bodies, and the same body with one string made invalid.</summary>
internal static class RandomBodies
{
    internal sealed record Case(byte[] Good, byte[] Bad, int Slot, string Text)
    {
        public override string ToString() => $"slot {Slot} <- {Text}: {Encoding.UTF8.GetString(Good)}";
    }

    /// <summary>A JSON value: a string, a literal (number, true, false, null), an array or an object.</summary>
    private abstract record Node;

    private sealed record Text(string Value) : Node;

    private sealed record Literal(string Json) : Node;

    private sealed record Items(Node[] Values) : Node;

    private sealed record Fields((string Name, Node Value)[] Members) : Node;

    private static readonly Gen<string> Strings = Gen.Elements(
        "", "x", "hello world", "ünïcødé", "🚀", "θ-γ-τ", "quote \" and \\ backslash", "tab\tnew\nline", "日本語", "a/b", "\u007f", "\u0001");

    private static readonly Gen<Node> Literals = Gen.Elements<Node>(
        new Literal("0"), new Literal("-1.5e3"), new Literal("true"), new Literal("false"), new Literal("null"), new Literal("42"));

    private static Gen<Node> Values(int size) => size <= 0
        ? Gen.OneOf(Literals, Strings.Select(static s => (Node)new Text(s)))
        : Gen.Frequency(
            (3, Literals),
            (3, Strings.Select(static s => (Node)new Text(s))),
            (1, Gen.ArrayOf(Values(size / 2), 3).Select(static v => (Node)new Items(v))),
            (1, Objects(size / 2)));

    private static Gen<Node> Objects(int size) =>
        from count in Gen.Choose(0, 4)
        from names in Gen.ArrayOf(Strings, count)
        from values in Gen.ArrayOf(Values(size), count)
        select (Node)new Fields([.. names.Distinct(StringComparer.Ordinal).Select((name, i) => (name, values[i]))]);

    private static Gen<Node> Bodies() =>
        from model in Gen.Elements("coin-toss-v1", "sensor-smoothing-v1")
        from arguments in Gen.Sized(static size => Objects(Math.Min(size, 8)))
        from description in Gen.OneOf(Gen.Constant<string?>(null), Strings.Select(static s => (string?)s))
        from extra in Gen.OneOf(Gen.Constant<Node?>(null), Values(4).Select(static v => (Node?)v))
        select Body(model, (Fields)arguments, description, extra);

    /// <summary>The body, with <c>sampling_interval</c> given for the model that requires it so the good body is accepted.</summary>
    private static Node Body(string model, Fields arguments, string? description, Node? extra)
    {
        var members = new List<(string, Node)> { ("model_name", new Text(model)) };
        var args = arguments.Members.Where(static m => m.Name != "sampling_interval").ToList();
        if (model == "sensor-smoothing-v1")
        {
            args.Add(("sampling_interval", new Literal("0.5")));
        }

        members.Add(("arguments", new Fields([.. args])));
        if (description is not null)
        {
            members.Add(("description", new Text(description)));
        }

        if (extra is not null)
        {
            members.Add(("extra_field", extra));
        }

        return new Fields([.. members]);
    }

    public static Gen<Case> Cases() =>
        from body in Bodies()
        let slots = CountSlots(body) - 2 // never the model_name property name or value: they must stay valid for the good body
        from slot in Gen.Choose(0, slots - 1)
        from text in Gen.Elements(InvalidTextTests.BadTexts)
        from placement in Gen.Choose(0, 2) // replace the string, or put the text before or after its content
        select new Case(Write(body, -1, [], 0), Write(body, slot + 2, text.Bytes, placement), slot + 2, text.Name);

    private static int CountSlots(Node node) => node switch
    {
        Text => 1,
        Items items => items.Values.Sum(CountSlots),
        Fields fields => fields.Members.Sum(static m => 1 + CountSlots(m.Value)),
        _ => 0,
    };

    /// <summary>Writes <paramref name="node"/> as UTF-8 JSON, putting <paramref name="bad"/> in string number <paramref name="target"/> (where <paramref name="placement"/> says) (names and values, in document order).</summary>
    private static byte[] Write(Node node, int target, byte[] bad, int placement)
    {
        var output = new List<byte>();
        var slot = 0;
        WriteNode(node);
        return [.. output];

        void WriteNode(Node value)
        {
            switch (value)
            {
                case Text text:
                    WriteString(text.Value);
                    break;
                case Literal literal:
                    output.AddRange(Encoding.UTF8.GetBytes(literal.Json));
                    break;
                case Items items:
                    output.Add((byte)'[');
                    for (var i = 0; i < items.Values.Length; i++)
                    {
                        if (i > 0)
                        {
                            output.Add((byte)',');
                        }

                        WriteNode(items.Values[i]);
                    }

                    output.Add((byte)']');
                    break;
                case Fields fields:
                    output.Add((byte)'{');
                    for (var i = 0; i < fields.Members.Length; i++)
                    {
                        if (i > 0)
                        {
                            output.Add((byte)',');
                        }

                        WriteString(fields.Members[i].Name);
                        output.Add((byte)':');
                        WriteNode(fields.Members[i].Value);
                    }

                    output.Add((byte)'}');
                    break;
            }
        }

        void WriteString(string text)
        {
            var content = Escape(text);
            output.Add((byte)'"');
            if (slot++ == target)
            {
                switch (placement)
                {
                    case 0:
                        output.AddRange(bad);
                        break;
                    case 1:
                        output.AddRange(bad);
                        output.AddRange(content);
                        break;
                    default:
                        output.AddRange(content);
                        output.AddRange(bad);
                        break;
                }
            }
            else
            {
                output.AddRange(content);
            }

            output.Add((byte)'"');
        }
    }

    private static byte[] Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
