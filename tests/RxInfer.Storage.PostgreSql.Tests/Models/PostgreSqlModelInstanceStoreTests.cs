using System.Text.Json;
using RxInfer.Models;
using RxInfer.Storage.PostgreSql.Tests.Infrastructure;

namespace RxInfer.Storage.PostgreSql.Tests.Models;

/// <summary>What the PostgreSQL instance store adds to the shared contract: exact JSON text, any name length, names it cannot hold.</summary>
public sealed class PostgreSqlModelInstanceStoreTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Created = TestClock.Start;
    private StoreNode? _node;

    private IModelInstanceStore Store => _node!.Get<IModelInstanceStore>();

    public async Task InitializeAsync() => _node = await StoreNode.StartAsync(fixture.ConnectionString);

    public async Task DisposeAsync() => await _node!.DisposeAsync();

    private static JsonElement J(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private async Task<ModelInstance> AddAsync(string state = """{"n": 0}""", string parameters = "{}")
    {
        var instance = new ModelInstance(Guid.NewGuid(), "Model-v1", "owner-" + Guid.NewGuid().ToString("N"), Created, "d", J("""{"a": 1}"""), J(state));
        Assert.Equal(InstanceAddResult.Added, await Store.AddAsync(instance, J(parameters), InstanceLimits.None, DateTimeOffset.MaxValue));
        return instance;
    }

    [Fact]
    public async Task Json_values_read_back_as_the_exact_text_written_key_order_duplicates_and_number_spelling_included()
    {
        const string State = """{"z": 1.50, "a": [1e2, -0.0], "z2": "\u00e9\u0000"}""";
        const string Parameters = """{"b": 2, "a": 1, "b": 3}""";
        var instance = await AddAsync(State, Parameters);
        await Store.AppendEventsAsync(instance.OwnerSubject, instance.InstanceId, "default", [new ModelEvent(0, Created, J("""{"y": 10.0, "x": 1}"""), J("""{"m":true}"""), false)], 10);

        Assert.Equal(State, (await Store.GetAsync(instance.OwnerSubject, instance.InstanceId))!.State.GetRawText());
        var episode = (await Store.GetEpisodeAsync(instance.OwnerSubject, instance.InstanceId, null)).Episode!;
        Assert.Equal(Parameters, episode.Parameters.GetRawText());
        Assert.Equal("""{"y": 10.0, "x": 1}""", episode.Events[0].Data.GetRawText());
        Assert.Equal("""{"m":true}""", episode.Events[0].Metadata!.Value.GetRawText());
    }

    [Fact]
    public async Task A_write_commits_in_its_own_batch_and_a_write_that_changes_nothing_leaves_no_transaction_open()
    {
        var instance = await AddAsync();
        var owner = instance.OwnerSubject;
        var version = (await Store.GetAsync(owner, instance.InstanceId))!.Version;
        var inference = new ModelEvent(0, Created, J("""{"x": 1}"""), null, false);

        var stale = await Store.CommitInferenceAsync(owner, instance.InstanceId, version + 1, J("""{"n": 9}"""), "default", inference, 10);
        var missing = await Store.CommitInferenceAsync(owner, Guid.NewGuid(), 0, J("""{"n": 9}"""), "default", inference, 10);
        Assert.Equal(ModelStoreOutcome.VersionConflict, stale.Outcome);
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, missing.Outcome);
        Assert.Equal(0, await OpenTransactionsAsync()); // rolled back at once: no row lock left on a pooled connection
        Assert.Equal("""{"n": 0}""", (await Store.GetAsync(owner, instance.InstanceId))!.State.GetRawText());

        var done = await Store.CommitInferenceAsync(owner, instance.InstanceId, version, J("""{"n": 1}"""), "default", inference, 10);
        Assert.Equal((ModelStoreOutcome.Done, 1L), (done.Outcome, done.EventId));
        Assert.Equal(0, await OpenTransactionsAsync());

        // Committed: another connection sees the new state, its version and the event.
        Assert.Equal("""{"n": 1}""", await Schema.MigrationTests.ScalarAsync<string>(
            fixture.ConnectionString, $"SELECT state::text FROM rxinfer.model_instances WHERE instance_id = '{instance.InstanceId}'"));
        Assert.Equal(version + 1, (await Store.GetAsync(owner, instance.InstanceId))!.Version);
        Assert.Single((await Store.GetEpisodeAsync(owner, instance.InstanceId, null)).Episode!.Events);
    }

    private Task<long> OpenTransactionsAsync() => Schema.MigrationTests.ScalarAsync<long>(
        fixture.ConnectionString, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'");

    [Fact]
    public async Task An_episode_name_longer_than_a_btree_entry_can_hold_works_like_any_other()
    {
        var instance = await AddAsync();
        var owner = instance.OwnerSubject;
        var name = new string('é', 5000); // 10 000 bytes of UTF-8

        Assert.Equal(ModelStoreOutcome.Done, await Store.AddEpisodeAsync(owner, instance.InstanceId, name, J("""{"p": 1}"""), Created, 10));
        Assert.Equal(ModelStoreOutcome.EpisodeExists, await Store.AddEpisodeAsync(owner, instance.InstanceId, name, J("{}"), Created, 10));
        Assert.Equal(ModelStoreOutcome.Done, await Store.AppendEventsAsync(owner, instance.InstanceId, name, [new ModelEvent(0, Created, J("{}"), null, false)], 10));

        Assert.Equal(name, (await Store.GetAsync(owner, instance.InstanceId))!.CurrentEpisode);
        var episode = (await Store.GetEpisodeAsync(owner, instance.InstanceId, name)).Episode!;
        Assert.Equal(name, episode.Name);
        Assert.Single(episode.Events);
        Assert.Equal(ModelStoreOutcome.Done, await Store.RemoveEpisodeAsync(owner, instance.InstanceId, name));
        Assert.Equal("default", (await Store.GetAsync(owner, instance.InstanceId))!.CurrentEpisode);
    }

    [Fact]
    public async Task An_episode_name_with_U0000_names_no_episode_and_no_operation_fails_on_it()
    {
        var instance = await AddAsync();
        var owner = instance.OwnerSubject;
        const string Nul = "a\0b";
        var version = (await Store.GetAsync(owner, instance.InstanceId))!.Version;

        var read = await Store.GetEpisodeAsync(owner, instance.InstanceId, Nul);
        Assert.NotNull(read.Instance);
        Assert.Null(read.Episode);
        Assert.Null((await Store.GetParametersAsync(owner, instance.InstanceId, Nul)).Parameters);
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await Store.AppendEventsAsync(owner, instance.InstanceId, Nul, [new ModelEvent(0, Created, J("{}"), null, false)], 10));
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await Store.ResetEpisodeAsync(owner, instance.InstanceId, Nul));
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await Store.RemoveEpisodeAsync(owner, instance.InstanceId, Nul));
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await Store.SetEventMetadataAsync(owner, instance.InstanceId, Nul, 1, J("{}")));
        Assert.Equal(ModelStoreOutcome.EpisodeNotFound, await Store.CommitLearningAsync(owner, instance.InstanceId, version, J("{}"), Nul, J("{}"), []));
        var commit = await Store.CommitInferenceAsync(owner, instance.InstanceId, version, J("""{"n": 1}"""), Nul, new ModelEvent(0, Created, J("{}"), null, false), 10);
        Assert.Equal(new ModelInferenceCommit(ModelStoreOutcome.Done, ModelStoreOutcome.EpisodeNotFound, 0), commit);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.AddEpisodeAsync(owner, instance.InstanceId, Nul, J("{}"), Created, 10));
    }

    [Fact]
    public async Task A_subject_with_U0000_owns_nothing_and_every_operation_answers_as_for_a_stranger()
    {
        var instance = await AddAsync();
        const string Nul = "\0probe";
        var id = instance.InstanceId;

        Assert.Empty(await Store.ListAsync(Nul));
        Assert.Null(await Store.GetAsync(Nul, id));
        Assert.Null(await Store.ListEpisodesAsync(Nul, id));
        Assert.Equal(default, await Store.GetEpisodeAsync(Nul, id, null));
        Assert.Equal(default, await Store.GetParametersAsync(Nul, id, null));
        Assert.Equal(ModelStoreOutcome.InstanceNotFound, await Store.AppendEventsAsync(Nul, id, "default", [new ModelEvent(0, Created, J("{}"), null, false)], 10));
        Assert.False(await Store.RemoveAsync(Nul, id));
        await Store.ExtendRetentionAsync(Nul, DateTimeOffset.MaxValue);
        Assert.NotNull(await Store.GetAsync(instance.OwnerSubject, id));
    }
}
