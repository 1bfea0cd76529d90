using System.Text.Json;

namespace RxInfer.Models.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Roles_match_exactly_and_case_sensitively()
    {
        var model = ModelDefinition.Create("M", "d", "a", ["Analyst"]);
        using var host = new ModelsHost(b => b.AddModel(model));

        Assert.Empty(host.Catalog.GetAvailableModels(["analyst"]));
        Assert.Empty(host.Catalog.GetAvailableModels(["Analyst "]));
        Assert.Empty(host.Catalog.GetAvailableModels(["Analys"]));
        Assert.Empty(host.Catalog.GetAvailableModels([]));
        Assert.Null(host.Catalog.FindModel("M", ["analyst"]));
        Assert.Null(host.Catalog.FindModel("m", ["Analyst"]));
        Assert.Same(model, host.Catalog.FindModel("M", ["other", "Analyst"]));
    }

    [Fact]
    public void A_forbidden_model_and_a_missing_one_look_the_same()
    {
        using var host = new ModelsHost(b => b.AddModel(ModelDefinition.Create("Secret", "d", "a", ["admin"])));

        Assert.Null(host.Catalog.FindModel("Secret", ["user"]));
        Assert.Null(host.Catalog.FindModel("Nothing", ["user"]));
    }

    [Fact]
    public void The_catalogue_is_built_once_and_does_not_change_when_the_folder_does()
    {
        using var folder = new ModelsFolder();
        folder.Write("one", "name: One\ndescription: d\nauthor: a\nroles: [user]");
        using var host = new ModelsHost(b => b.AddModelsFromDirectory(folder.Path));
        var first = host.Catalog;
        Assert.Single(first.GetAvailableModels(["user"]));

        folder.Write("two", "name: Two\ndescription: d\nauthor: a\nroles: [user]");

        Assert.Same(first, host.Catalog);
        Assert.Equal(["One"], host.Catalog.GetAvailableModels(["user"]).Select(m => m.Name));
    }

    [Fact]
    public void A_model_created_in_code_carries_its_details_in_its_configuration()
    {
        var model = ModelDefinition.Create(
            "Code-v1", "made in code", "me", ["user", "admin"],
            [new ModelArgument("n", "count", "int", Json.Parse("3"), required: true), new ModelArgument("flag")]);

        var configuration = model.Configuration;
        Assert.Equal("Code-v1", configuration.GetProperty("name").GetString());
        Assert.Equal("made in code", configuration.GetProperty("description").GetString());
        Assert.Equal("me", configuration.GetProperty("author").GetString());
        Assert.Equal(["user", "admin"], configuration.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var n = configuration.GetProperty("arguments")[0];
        Assert.Equal("n", n.GetProperty("name").GetString());
        Assert.Equal(3, n.GetProperty("default").GetInt32());
        Assert.True(n.GetProperty("required").GetBoolean());
        Assert.False(configuration.GetProperty("arguments")[1].TryGetProperty("default", out _));

        // The configuration reads back into the same definition.
        var reread = ModelDefinition.FromConfiguration(configuration, "code");
        Assert.Equal(model.Name, reread.Name);
        Assert.Equal(model.Roles, reread.Roles);
        Assert.Equal(model.Arguments.Select(a => (a.Name, a.Required, a.Type)), reread.Arguments.Select(a => (a.Name, a.Required, a.Type)));
    }

    [Fact]
    public void Create_rejects_empty_names_roles_and_repeated_arguments()
    {
        Assert.Throws<ArgumentException>(() => ModelDefinition.Create("", "d", "a", ["user"]));
        Assert.Throws<ArgumentException>(() => ModelDefinition.Create("M", "d", "a", ["user", ""]));
        Assert.Throws<ArgumentException>(() => ModelDefinition.Create("M", "d", "a", ["user"], [new ModelArgument("x"), new ModelArgument("x")]));
    }

    [Fact]
    public void FromConfiguration_names_the_source_and_the_field()
    {
        var exception = Assert.Throws<ModelConfigurationException>(() =>
            ModelDefinition.FromConfiguration(Json.Parse("""{"name": "m", "description": "d", "author": "a", "roles": ["ok", false]}"""), "my-source"));

        Assert.Equal("my-source", exception.Source);
        Assert.Equal("roles[1]", exception.Field);
        Assert.StartsWith("my-source:", exception.Message, StringComparison.Ordinal);
        Assert.Contains("roles[1]", exception.Message, StringComparison.Ordinal);

        var notObject = Assert.Throws<ModelConfigurationException>(() => ModelDefinition.FromConfiguration(Json.Parse("[1]"), "src"));
        Assert.Null(notObject.Field);
        Assert.Equal("src", notObject.Source);
    }

    [Fact]
    public void The_configuration_is_detached_from_the_document_it_was_read_from()
    {
        ModelDefinition model;
        using (var document = JsonDocument.Parse("""{"name": "m", "description": "d", "author": "a", "roles": ["user"], "x": 1}"""))
        {
            model = ModelDefinition.FromConfiguration(document.RootElement, "src");
        }

        Assert.Equal(1, model.Configuration.GetProperty("x").GetInt32());
    }
}
