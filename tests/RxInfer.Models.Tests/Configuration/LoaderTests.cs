using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace RxInfer.Models.Tests;

public sealed class LoaderTests : IDisposable
{
    private const string ValidYaml = """
        name: Coin-v1
        description: Flips a coin
        author: Test Author
        roles:
          - user
          - analyst
        arguments:
          - name: prior_a
            description: The first prior parameter
            type: int
            default: 1
          - name: horizon
            type: int
            required: true
        """;

    private readonly ModelsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ModelsHost Load(params string[] locations) => new(b =>
    {
        foreach (var location in locations)
        {
            b.AddModelsFromDirectory(location);
        }
    });

    [Fact]
    public void A_valid_yaml_configuration_loads_with_its_details_and_arguments()
    {
        _folder.Write("coin", ValidYaml);
        using var host = Load(_folder.Path);

        var model = Assert.Single(host.Catalog.GetAvailableModels(["user"]));
        Assert.Equal("Coin-v1", model.Name);
        Assert.Equal("Flips a coin", model.Description);
        Assert.Equal("Test Author", model.Author);
        Assert.Equal(["user", "analyst"], model.Roles);
        Assert.Equal(2, model.Arguments.Count);

        var prior = model.Arguments[0];
        Assert.Equal("prior_a", prior.Name);
        Assert.Equal("The first prior parameter", prior.Description);
        Assert.Equal("int", prior.Type);
        Assert.False(prior.Required);
        Assert.Equal(JsonValueKind.Number, prior.Default!.Value.ValueKind);
        Assert.Equal(1, prior.Default.Value.GetInt32());

        var horizon = model.Arguments[1];
        Assert.True(horizon.Required);
        Assert.Null(horizon.Default);
        Assert.Null(horizon.Description);

        Assert.Equal(JsonValueKind.Object, model.Configuration.ValueKind);
        Assert.Equal("Coin-v1", model.Configuration.GetProperty("name").GetString());
    }

    [Fact]
    public void A_valid_json_configuration_loads()
    {
        _folder.Write("json-model", """
            {
              "name": "Json-v1",
              "description": "From JSON",
              "author": "Someone",
              "roles": ["user"],
              "arguments": [{"name": "n", "default": 2.5, "required": true}],
              "extra": {"nested": [1, 2, 3]}
            }
            """, "config.json");
        using var host = Load(_folder.Path);

        var model = Assert.Single(host.Catalog.GetAvailableModels(["user"]));
        Assert.Equal("Json-v1", model.Name);
        Assert.Equal(2.5, model.Arguments[0].Default!.Value.GetDouble());
        Assert.True(model.Arguments[0].Required);
        Assert.Equal(3, model.Configuration.GetProperty("extra").GetProperty("nested").GetArrayLength());
    }

    [Fact]
    public void When_a_folder_has_both_files_the_yaml_one_is_read()
    {
        _folder.Write("both", ValidYaml);
        _folder.Write("both", """{"name": "FromJson", "description": "", "author": "", "roles": ["user"]}""", "config.json");
        using var host = Load(_folder.Path);

        Assert.Equal("Coin-v1", Assert.Single(host.Catalog.GetAvailableModels(["user"])).Name);
    }

    [Fact]
    public void A_subfolder_without_a_configuration_is_not_a_model_and_files_at_the_top_are_ignored()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "empty"));
        File.WriteAllText(Path.Combine(_folder.Path, "config.yaml"), ValidYaml.Replace("Coin-v1", "TopLevel", StringComparison.Ordinal));
        _folder.Write("coin", ValidYaml);
        using var host = Load(_folder.Path);

        Assert.Equal(["Coin-v1"], host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name));
    }

    public static TheoryData<string, string?> InvalidConfigurations => new()
    {
        { "description: d\nauthor: a\nroles: [user]", "name" },
        { "name: 5\ndescription: d\nauthor: a\nroles: [user]", "name" },
        { "name: ''\ndescription: d\nauthor: a\nroles: [user]", "name" },
        { "name: [a, b]\ndescription: d\nauthor: a\nroles: [user]", "name" },
        { "name: m\nauthor: a\nroles: [user]", "description" },
        { "name: m\ndescription: [x]\nauthor: a\nroles: [user]", "description" },
        { "name: m\ndescription: d\nroles: [user]", "author" },
        { "name: m\ndescription: d\nauthor: {who: me}\nroles: [user]", "author" },
        { "name: m\ndescription: d\nauthor: a", "roles" },
        { "name: m\ndescription: d\nauthor: a\nroles: user", "roles" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user, 7]", "roles[1]" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user, [x]]", "roles[1]" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: {a: 1}", "arguments" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [just-a-name]", "arguments[0]" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [{description: no name}]", "arguments[0].name" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [{name: a}, {name: 12}]", "arguments[1].name" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [{name: a}, {name: a}]", "arguments[1].name" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [{name: a, required: maybe}]", "arguments[0].required" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [{name: a, description: [x]}]", "arguments[0].description" },
        { "name: m\ndescription: d\nauthor: a\nroles: [user]\narguments: [{name: a, type: 3}]", "arguments[0].type" },
        { "- name: m\n- description: d", null },
        { "name: m\ndescription: [unclosed\n", null },
        { "# only a comment\n", null },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigurations))]
    public void An_invalid_configuration_is_logged_with_its_file_and_field_and_skipped(string yaml, string? field)
    {
        var bad = _folder.Write("bad", yaml);
        _folder.Write("good", ValidYaml);
        using var host = Load(_folder.Path);

        Assert.Equal(["Coin-v1"], host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name));

        var record = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains(bad, record.Message, StringComparison.Ordinal);
        var exception = Assert.IsType<ModelConfigurationException>(record.Exception);
        Assert.Equal(bad, exception.Source);
        Assert.Equal(field, exception.Field);
        Assert.Contains(bad, exception.Message, StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Contains($"'{field}'", exception.Message, StringComparison.Ordinal);
            Assert.Contains($"'{field}'", record.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invalid_json_is_logged_with_its_file_and_skipped()
    {
        var bad = _folder.Write("bad", """{"name": "x", """, "config.json");
        using var host = Load(_folder.Path);

        Assert.Empty(host.Catalog.GetAvailableModels(["user"]));
        var record = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal(bad, Assert.IsType<ModelConfigurationException>(record.Exception).Source);
    }

    [Fact]
    public void A_json_configuration_with_a_repeated_field_is_rejected()
    {
        var bad = _folder.Write("bad", """{"name": "x", "name": "y", "description": "", "author": "", "roles": ["user"]}""", "config.json");
        using var host = Load(_folder.Path);

        Assert.Empty(host.Catalog.GetAvailableModels(["user"]));
        Assert.Equal(bad, Assert.IsType<ModelConfigurationException>(Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error).Exception).Source);
    }

    [Fact]
    public void A_missing_folder_is_a_warning_that_names_it_and_the_other_folders_still_load()
    {
        var missing = Path.Combine(_folder.Path, "does-not-exist");
        using var real = new ModelsFolder();
        real.Write("coin", ValidYaml);
        using var host = Load(missing, real.Path);

        Assert.Equal(["Coin-v1"], host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name));
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(missing, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public void A_duplicate_name_keeps_the_first_folder_in_ordinal_order_and_is_logged()
    {
        // Ordinal order puts "B-second" (0x42) before "a-first" (0x61); a culture-aware sort would not.
        _folder.Write("a-first", "name: Dup\ndescription: from a\nauthor: x\nroles: [user]");
        _folder.Write("B-second", "name: Dup\ndescription: from B\nauthor: x\nroles: [user]");
        using var host = Load(_folder.Path);

        var model = Assert.Single(host.Catalog.GetAvailableModels(["user"]));
        Assert.Equal("from B", model.Description);
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("Dup", warning.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder.Path, "a-first"), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_name_keeps_the_one_from_the_location_given_first()
    {
        using var second = new ModelsFolder();
        _folder.Write("z", "name: Dup\ndescription: first location\nauthor: x\nroles: [user]");
        second.Write("a", "name: Dup\ndescription: second location\nauthor: x\nroles: [user]");
        second.Write("b", "name: Other\ndescription: o\nauthor: x\nroles: [user]");
        using var host = new ModelsHost(configure: o => o.Locations = [_folder.Path, second.Path]);

        var models = host.Catalog.GetAvailableModels(["user"]);
        Assert.Equal(["Dup", "Other"], models.Select(m => m.Name));
        Assert.Equal("first location", models[0].Description);
    }

    [Fact]
    public void A_model_added_in_code_before_a_folder_wins_over_the_folder()
    {
        _folder.Write("coin", ValidYaml);
        var inCode = ModelDefinition.Create("Coin-v1", "from code", "me", ["user"]);
        using var host = new ModelsHost(b => b.AddModel(inCode).AddModelsFromDirectory(_folder.Path));

        Assert.Same(inCode, Assert.Single(host.Catalog.GetAvailableModels(["user"])));
    }

    [Fact]
    public void Unicode_text_round_trips_unchanged()
    {
        _folder.Write("unicode", """
            name: Модель-θ
            description: "Ракета 🚀 and ünïcödé"
            author: 李雷
            roles: [пользователь]
            arguments:
              - name: x_μ
                default: Λ
            notes:
              κλειδί: значение 🚀
            """);
        using var host = Load(_folder.Path);

        var model = Assert.Single(host.Catalog.GetAvailableModels(["пользователь"]));
        Assert.Equal("Модель-θ", model.Name);
        Assert.Equal("Ракета 🚀 and ünïcödé", model.Description);
        Assert.Equal("李雷", model.Author);
        Assert.Equal("x_μ", model.Arguments[0].Name);
        Assert.Equal("Λ", model.Arguments[0].Default!.Value.GetString());
        Assert.Equal("значение 🚀", model.Configuration.GetProperty("notes").GetProperty("κλειδί").GetString());

        // The raw document keeps the characters themselves, not \u escapes.
        Assert.Contains("\"x_μ\"", model.Configuration.GetRawText(), StringComparison.Ordinal);
        Assert.Same(model, host.Catalog.FindModel("Модель-θ", ["пользователь"]));
    }

    [Fact]
    public void Yaml_scalars_become_the_json_values_a_user_expects()
    {
        _folder.Write("types", """
            name: Types
            description: d
            author: a
            roles: [user]
            values:
              int: 1
              negative: -3
              float: 1.5
              exponent: 1e3
              plus: +5
              leading_zeros: 007
              dot_first: .5
              octal: 0o17
              hex: 0x1F
              true_value: true
              false_value: false
              capital_true: True
              null_value: null
              tilde: ~
              empty:
              quoted_number: "1"
              single_quoted_bool: 'true'
              yes_word: yes
              no_word: no
              word: hello
              version: 1.2.3
              date: 2024-01-01
              infinity: .inf
              tagged_string: !!str 42
              block: |
                line one
                line two
              list: [1, two, 3.0]
              nested: {a: {b: [true]}}
            """);
        using var host = Load(_folder.Path);
        var values = Assert.Single(host.Catalog.GetAvailableModels(["user"])).Configuration.GetProperty("values");

        Assert.Equal(1, values.GetProperty("int").GetInt32());
        Assert.Equal(-3, values.GetProperty("negative").GetInt32());
        Assert.Equal(1.5, values.GetProperty("float").GetDouble());
        Assert.Equal(1000.0, values.GetProperty("exponent").GetDouble());
        Assert.Equal(5, values.GetProperty("plus").GetInt32());
        Assert.Equal(7, values.GetProperty("leading_zeros").GetInt32());
        Assert.Equal(0.5, values.GetProperty("dot_first").GetDouble());
        Assert.Equal(15, values.GetProperty("octal").GetInt32());
        Assert.Equal(31, values.GetProperty("hex").GetInt32());
        Assert.Equal(JsonValueKind.True, values.GetProperty("true_value").ValueKind);
        Assert.Equal(JsonValueKind.False, values.GetProperty("false_value").ValueKind);
        Assert.Equal(JsonValueKind.True, values.GetProperty("capital_true").ValueKind);
        Assert.Equal(JsonValueKind.Null, values.GetProperty("null_value").ValueKind);
        Assert.Equal(JsonValueKind.Null, values.GetProperty("tilde").ValueKind);
        Assert.Equal(JsonValueKind.Null, values.GetProperty("empty").ValueKind);
        Assert.Equal("1", values.GetProperty("quoted_number").GetString());
        Assert.Equal("true", values.GetProperty("single_quoted_bool").GetString());
        Assert.Equal("yes", values.GetProperty("yes_word").GetString());
        Assert.Equal("no", values.GetProperty("no_word").GetString());
        Assert.Equal("hello", values.GetProperty("word").GetString());
        Assert.Equal("1.2.3", values.GetProperty("version").GetString());
        Assert.Equal("2024-01-01", values.GetProperty("date").GetString());
        Assert.Equal(".inf", values.GetProperty("infinity").GetString());
        Assert.Equal("42", values.GetProperty("tagged_string").GetString());
        Assert.Equal("line one\nline two\n", values.GetProperty("block").GetString());

        var list = values.GetProperty("list");
        Assert.Equal(1, list[0].GetInt32());
        Assert.Equal("two", list[1].GetString());
        Assert.Equal(3.0, list[2].GetDouble());
        Assert.Equal(JsonValueKind.True, values.GetProperty("nested").GetProperty("a").GetProperty("b")[0].ValueKind);
    }

    [Fact]
    public void Unknown_fields_are_passed_through_untouched()
    {
        _folder.Write("extras", """
            name: Extras
            description: d
            author: a
            roles: [user]
            arguments:
              - name: a
                unit: metres
            parameters:
              - name: posterior
                description: The posterior
            data:
            custom_block:
              weights: [0.25, 0.75]
            """);
        using var host = Load(_folder.Path);
        var configuration = Assert.Single(host.Catalog.GetAvailableModels(["user"])).Configuration;

        Assert.Equal("posterior", configuration.GetProperty("parameters")[0].GetProperty("name").GetString());
        Assert.Equal("The posterior", configuration.GetProperty("parameters")[0].GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, configuration.GetProperty("data").ValueKind);
        Assert.Equal(0.75, configuration.GetProperty("custom_block").GetProperty("weights")[1].GetDouble());
        Assert.Equal("metres", configuration.GetProperty("arguments")[0].GetProperty("unit").GetString());
    }

    [Fact]
    public void Alias_cycles_and_expansion_bombs_are_rejected_not_followed()
    {
        var bad = _folder.Write("bomb", """
            name: Bomb
            description: d
            author: a
            roles: [user]
            a: &a [x, x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
            """);
        using var host = Load(_folder.Path);

        Assert.Empty(host.Catalog.GetAvailableModels(["user"]));
        Assert.Equal(bad, Assert.IsType<ModelConfigurationException>(Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error).Exception).Source);
    }
}
