using Microsoft.Extensions.DependencyInjection;

namespace RxInfer.Models.Tests;

/// <summary>The character U+0000 (which no database keeps in text) in an episode name or a description is a 400 that stores nothing, in every store.</summary>
public sealed class NulCharacterTests
{
    private static readonly ModelCaller Alice = new("alice", ["user"]);

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels().AddModel(ModelDefinition.Create("Plain-v1", "d", "a", ["user"]));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_description_with_U0000_is_refused_and_no_instance_is_stored()
    {
        await using var services = Services();
        var instances = services.GetRequiredService<IModelInstanceService>();

        var created = await instances.CreateAsync(Alice, "Plain-v1", null, "a\0b");

        Assert.Equal(ModelInstanceCreationStatus.InvalidRequest, created.Status);
        Assert.Equal(ModelErrors.DescriptionHasNul, created.Error);
        Assert.Empty(await instances.ListAsync(Alice));
    }

    [Fact]
    public async Task An_episode_name_with_U0000_is_refused_and_no_episode_is_stored()
    {
        await using var services = Services();
        var id = (await services.GetRequiredService<IModelInstanceService>().CreateAsync(Alice, "Plain-v1", null, null)).Instance!.InstanceId;
        var episodes = services.GetRequiredService<IModelEpisodeService>();

        var created = await episodes.CreateEpisodeAsync(Alice, id, "a\0b");

        Assert.Equal(ModelResultStatus.Invalid, created.Status);
        Assert.Equal(ModelErrors.EpisodeNameHasNul, created.Error);
        Assert.Equal(["default"], (await episodes.ListEpisodesAsync(Alice, id)).Value!.Select(e => e.Name));
    }
}
