
namespace RxInfer.Storage.PostgreSql.Tests.HotPath;

/// <summary>The node's copy of the JWT revocations: what it answers before, during and after its first entries.</summary>
public sealed class LocalRevocationsTests
{
    private static readonly DateTimeOffset Now = TestClock.Start;

    [Fact]
    public void An_empty_copy_answers_not_revoked_and_the_first_entry_of_each_kind_is_found_at_once()
    {
        var time = TestClock.NewTimeProvider();
        var local = new LocalRevocations();
        Assert.False(local.IsRevoked("jti-1", time));
        Assert.Null(local.GetSubjectCutoff("alice", time));

        local.RevokeToken("jti-1", Now.AddHours(1));
        Assert.True(local.IsRevoked("jti-1", time));
        Assert.False(local.IsRevoked("jti-2", time));
        Assert.Null(local.GetSubjectCutoff("alice", time));

        local.RevokeSubject("alice", Now.AddMinutes(-1), Now.AddHours(1));
        Assert.Equal(Now.AddMinutes(-1), local.GetSubjectCutoff("alice", time));

        time.Advance(TimeSpan.FromHours(1));
        Assert.False(local.IsRevoked("jti-1", time));
        Assert.Null(local.GetSubjectCutoff("alice", time));
    }

    [Fact]
    public void A_full_load_into_an_empty_copy_is_found_and_an_emptied_copy_still_answers_later_entries()
    {
        var time = TestClock.NewTimeProvider();
        var local = new LocalRevocations();
        local.Replace([new("jti-loaded", Now.AddHours(1))], [("bob", Now.AddMinutes(-5), Now.AddHours(1))]);
        Assert.True(local.IsRevoked("jti-loaded", time));
        Assert.Equal(Now.AddMinutes(-5), local.GetSubjectCutoff("bob", time));

        local.Replace([], []);
        Assert.False(local.IsRevoked("jti-loaded", time));
        local.RevokeToken("jti-later", Now.AddHours(1));
        Assert.True(local.IsRevoked("jti-later", time));
    }
}
