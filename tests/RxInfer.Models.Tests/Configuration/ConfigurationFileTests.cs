using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace RxInfer.Models.Tests;

/// <summary>
/// Configuration files that are not what they seem: each is skipped quickly with a log line at warning or above that
/// names the file and the reason, never read whole, never followed into a hang or a stack overflow, and the other
/// models of the folder still load.
/// </summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private const string GoodYaml = "name: Good-v1\ndescription: d\nauthor: a\nroles: [user]\n";

    /// <summary>Generous: the machine is shared. A hang (a FIFO opened for reading) never finishes at all.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly ModelsFolder _folder = new();

    public ConfigurationFileTests() => _folder.Write("good", GoodYaml);

    public void Dispose() => _folder.Dispose();

    private string ConfigPath(string model, string fileName = "config.yaml")
    {
        var directory = Path.Combine(_folder.Path, model);
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, fileName);
    }

    /// <summary>Loads the folder within <see cref="Bound"/>; asserts only the good model loaded; returns the log line about <paramref name="path"/>.</summary>
    private static async Task<FakeLogRecord> LoadSkippingAsync(string folder, string path, LogLevel level)
    {
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(folder));
        var load = Task.Run(() => host.Catalog.GetAvailableModels(["user"]));
        var models = await load.WaitAsync(Bound);

        Assert.Equal(["Good-v1"], models.Select(m => m.Name));
        var record = Assert.Single(host.Logs.GetSnapshot(), r => r.Message.Contains(path, StringComparison.Ordinal));
        Assert.Equal(level, record.Level);
        return record;
    }

    private static void Run(string command, params string[] arguments)
    {
        ProcessStartInfo start = new(command) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            Assert.Fail($"This test needs '{command}' (Debian: apt-get install coreutils): {exception.Message}");
            return;
        }

        using (process)
        {
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{command} failed: {process.StandardError.ReadToEnd()}");
        }
    }

    // ---- what the file is -------------------------------------------------------------------------------------

    [Fact]
    public async Task A_fifo_named_config_yaml_is_skipped_with_a_warning_without_being_opened()
    {
        var fifo = ConfigPath("fifo");
        Run("mkfifo", fifo);
        try
        {
            var record = await LoadSkippingAsync(_folder.Path, fifo, LogLevel.Warning);
            Assert.Contains("not a regular file", record.Message, StringComparison.Ordinal);
        }
        finally
        {
            // Had the loader opened the FIFO for reading, it would still be blocked: a writer lets it go.
            var release = Task.Run(() => { using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write); });
            await Task.WhenAny(release, Task.Delay(TimeSpan.FromMilliseconds(100)));
        }
    }

    [Fact]
    public async Task A_link_to_dev_zero_is_skipped_with_a_warning_without_being_read()
    {
        var link = ConfigPath("zero");
        File.CreateSymbolicLink(link, "/dev/zero");

        var record = await LoadSkippingAsync(_folder.Path, link, LogLevel.Warning);
        Assert.Contains("not a regular file", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_50_MB_file_is_skipped_with_a_warning_naming_the_limit_without_being_read()
    {
        var big = ConfigPath("big");
        using (var stream = new FileStream(big, FileMode.CreateNew))
        {
            stream.SetLength(50L * 1024 * 1024); // sparse: no 50 MB is written
        }

        var record = await LoadSkippingAsync(_folder.Path, big, LogLevel.Warning);
        Assert.Contains($"is {50L * 1024 * 1024} bytes, more than the limit of 1048576 bytes", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_named_config_yaml_is_skipped_with_a_warning()
    {
        var directory = ConfigPath("dir");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(directory)!, "config.json"), """{"name":"Shadowed"}""");

        var record = await LoadSkippingAsync(_folder.Path, directory, LogLevel.Warning);
        Assert.Contains("is a directory", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_nothing_is_skipped_with_a_warning()
    {
        var link = ConfigPath("broken");
        File.CreateSymbolicLink(link, Path.Combine(_folder.Path, "nothing-here"));

        var record = await LoadSkippingAsync(_folder.Path, link, LogLevel.Warning);
        Assert.Contains("link to nothing", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_loop_is_skipped_with_a_warning()
    {
        var link = ConfigPath("loop");
        var other = Path.Combine(_folder.Path, "loop-other");
        File.CreateSymbolicLink(link, other);
        File.CreateSymbolicLink(other, link);

        var record = await LoadSkippingAsync(_folder.Path, link, LogLevel.Warning);
        Assert.Contains("cannot be followed", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_a_regular_file_elsewhere_is_read()
    {
        var target = Path.Combine(_folder.Path, "elsewhere.yaml");
        File.WriteAllText(target, "name: Linked-v1\ndescription: d\nauthor: a\nroles: [user]\n");
        File.CreateSymbolicLink(ConfigPath("linked"), target);
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(_folder.Path));

        var models = await Task.Run(() => host.Catalog.GetAvailableModels(["user"])).WaitAsync(Bound);

        Assert.Equal(["Good-v1", "Linked-v1"], models.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_empty_file_is_skipped_with_a_warning()
    {
        var empty = ConfigPath("empty");
        File.WriteAllBytes(empty, []);

        var record = await LoadSkippingAsync(_folder.Path, empty, LogLevel.Warning);
        Assert.Contains("is empty", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not()
    {
        var exact = ConfigPath("exact");
        File.WriteAllText(exact, Padded("Exact-v1", 1024 * 1024));
        var over = ConfigPath("over");
        File.WriteAllText(over, Padded("Over-v1", (1024 * 1024) + 1));
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(_folder.Path));

        Assert.Equal(["Exact-v1", "Good-v1"], host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name).Order(StringComparer.Ordinal));
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(over, warning.Message, StringComparison.Ordinal);

        static string Padded(string name, int length)
        {
            var yaml = $"name: {name}\ndescription: d\nauthor: a\nroles: [user]\n# ";
            return yaml + new string('x', length - yaml.Length);
        }
    }

    // ---- what the file holds ----------------------------------------------------------------------------------

    public static TheoryData<string, string, string> NestedTooDeeply => new()
    {
        { "flow sequences", "config.yaml", "root: " + new string('[', 100_000) + new string(']', 100_000) },
        { "flow mappings", "config.yaml", "root: " + string.Concat(Enumerable.Repeat("{a: ", 50_000)) + "1" + new string('}', 50_000) },
        { "block mappings", "config.yaml", string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 200) + "v" },
        { "json arrays", "config.json", "{\"root\":" + new string('[', 100_000) + new string(']', 100_000) + "}" },
    };

    [Theory]
    [MemberData(nameof(NestedTooDeeply))]
    public async Task Deep_nesting_is_refused_before_it_is_followed(string kind, string fileName, string text)
    {
        var path = ConfigPath("deep", fileName);
        File.WriteAllText(path, text);

        var record = await LoadSkippingAsync(_folder.Path, path, LogLevel.Error);
        Assert.True(record.Message.Contains("deeper than 64", StringComparison.Ordinal), $"{kind}: {record.Message}");
    }

    [Fact]
    public void Nesting_of_exactly_64_levels_loads()
    {
        // The document itself is level 1.
        File.WriteAllText(ConfigPath("deep-ok"), "name: Deep-v1\ndescription: d\nauthor: a\nroles: [user]\nextra: " + new string('[', 63) + new string(']', 63));
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(_folder.Path));

        Assert.Contains("Deep-v1", host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name));
    }

    [Fact]
    public async Task A_billion_laughs_expansion_stops_at_the_value_limit()
    {
        var bomb = ConfigPath("laughs");
        File.WriteAllText(bomb, GoodYaml.Replace("Good-v1", "Bomb-v1", StringComparison.Ordinal) + """
            a: &a [x, x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
            h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
            i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
            """);

        var record = await LoadSkippingAsync(_folder.Path, bomb, LogLevel.Error);
        Assert.Contains("expands to more than 1000000 values", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_string_repeated_by_aliases_stops_at_the_byte_limit_under_the_value_limit()
    {
        // 100 KB of text, 1,000 times: a thousand values, but 100 MB of output.
        var bomb = ConfigPath("long");
        File.WriteAllText(bomb, GoodYaml.Replace("Good-v1", "Long-v1", StringComparison.Ordinal)
            + "text: &t " + new string('z', 100_000) + "\n"
            + "copies: [" + string.Join(", ", Enumerable.Repeat("*t", 1_000)) + "]\n");

        var record = await LoadSkippingAsync(_folder.Path, bomb, LogLevel.Error);
        Assert.Contains("expands to more than 4194304 bytes", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_of_its_own_node_or_of_no_anchor_is_refused()
    {
        var self = ConfigPath("self");
        File.WriteAllText(self, GoodYaml.Replace("Good-v1", "Self-v1", StringComparison.Ordinal) + "loop: &l [1, *l]\n");
        var none = ConfigPath("none");
        File.WriteAllText(none, GoodYaml.Replace("Good-v1", "None-v1", StringComparison.Ordinal) + "ref: *missing\n");

        using var host = new ModelsHost(b => b.AddModelsFromDirectory(_folder.Path));
        var models = await Task.Run(() => host.Catalog.GetAvailableModels(["user"])).WaitAsync(Bound);

        Assert.Equal(["Good-v1"], models.Select(m => m.Name));
        var errors = host.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Error).Select(r => r.Message).ToArray();
        Assert.Contains(errors, m => m.Contains(self, StringComparison.Ordinal) && m.Contains("*l", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains(none, StringComparison.Ordinal) && m.Contains("*missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Aliases_within_the_limits_are_expanded()
    {
        File.WriteAllText(ConfigPath("aliases"), GoodYaml.Replace("Good-v1", "Aliases-v1", StringComparison.Ordinal) + "base: &b {x: 1, y: [a, b]}\ncopy: *b\nkey: &k name\nby_alias: {*k : v}\n");
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(_folder.Path));

        var configuration = host.Catalog.FindModel("Aliases-v1", ["user"])!.Configuration;
        Assert.True(JsonElement.DeepEquals(configuration.GetProperty("base"), configuration.GetProperty("copy")));
        Assert.Equal("v", configuration.GetProperty("by_alias").GetProperty("name").GetString());
    }

    public static TheoryData<string, string, byte[], string> NotUnicode => new()
    {
        { "raw 0xFF in YAML", "config.yaml", [.. Encoding.UTF8.GetBytes(GoodYaml + "note: x"), 0xFF], "is not UTF-8 text" },
        { "encoded surrogate in YAML", "config.yaml", [.. Encoding.UTF8.GetBytes(GoodYaml + "note: "), 0xED, 0xA0, 0x80], "is not UTF-8 text" },
        { "lone surrogate escape in YAML", "config.yaml", Encoding.UTF8.GetBytes(GoodYaml + "note: \"\\ud800\""), "invalid Unicode" },
        { "escape beyond Unicode in YAML", "config.yaml", Encoding.UTF8.GetBytes(GoodYaml + "note: \"\\UFFFFFFFF\""), "is not valid YAML" },
        { "raw 0xFF in JSON", "config.json", [.. "{\"name\":\"x"u8, 0xFF, .. "\"}"u8], "is not UTF-8 text" },
        { "lone surrogate escape in JSON", "config.json", Encoding.UTF8.GetBytes("""{"name":"Bad-v1","description":"d","author":"a","roles":["user"],"x":{"\udc00":1}}"""), "not valid Unicode" },
    };

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public async Task Text_that_is_not_unicode_is_refused_naming_the_file(string kind, string fileName, byte[] bytes, string reason)
    {
        var path = ConfigPath("text", fileName);
        File.WriteAllBytes(path, bytes);

        var record = await LoadSkippingAsync(_folder.Path, path, LogLevel.Error);
        Assert.True(record.Message.Contains(reason, StringComparison.Ordinal), $"{kind}: {record.Message}");
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_allowed()
    {
        File.WriteAllBytes(ConfigPath("bom"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(GoodYaml.Replace("Good-v1", "Bom-v1", StringComparison.Ordinal))]);
        File.WriteAllBytes(ConfigPath("bom-json", "config.json"), [0xEF, 0xBB, 0xBF, .. """{"name":"BomJson-v1","description":"d","author":"a","roles":["user"]}"""u8]);
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(_folder.Path));

        Assert.Equal(["Bom-v1", "BomJson-v1", "Good-v1"], host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    // ---- configurations from code -----------------------------------------------------------------------------

    [Fact]
    public void A_configuration_from_code_with_a_string_that_is_not_unicode_is_refused()
    {
        using var document = JsonDocument.Parse("""{"name":"m","description":"d","author":"a","roles":["user"],"notes":["\ud800"]}""");

        var error = Assert.Throws<ModelConfigurationException>(() => ModelDefinition.FromConfiguration(document.RootElement, "code"));

        Assert.Equal("code", error.Source);
        Assert.Contains("not valid Unicode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_from_code_nested_deeper_than_64_is_refused()
    {
        var json = """{"name":"m","description":"d","author":"a","roles":["user"],"deep":""" + new string('[', 100) + new string(']', 100) + "}";
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 200 });

        var error = Assert.Throws<ModelConfigurationException>(() => ModelDefinition.FromConfiguration(document.RootElement, "code"));

        Assert.Contains("deeper than 64", error.Message, StringComparison.Ordinal);
    }
}
