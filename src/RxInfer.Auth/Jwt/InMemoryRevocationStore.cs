using System.Collections.Concurrent;

namespace RxInfer.Auth;

/// <summary>
/// The embedded <see cref="IRevocationStore"/>: two concurrent dictionaries, every method completes synchronously.
/// Entries past their <c>keepUntil</c> are ignored when found and swept at most once a minute on writes, so
/// memory stays bounded by the revocations whose tokens could still be alive.
/// </summary>
internal sealed class InMemoryRevocationStore(TimeProvider timeProvider) : IRevocationStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubjectCutoff> _subjects = new(StringComparer.Ordinal);
    private readonly PeriodicSweep _sweep = new(timeProvider);

    public ValueTask RevokeAsync(string tokenId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        _sweep.RunIfDue(static (now, store) => store.RemoveExpired(now), this);
        _tokens.AddOrUpdate(tokenId, static (_, keep) => keep, static (_, old, keep) => Max(old, keep), keepUntil);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return new(_tokens.TryGetValue(tokenId, out var keepUntil) && timeProvider.GetUtcNow() < keepUntil);
    }

    public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        _sweep.RunIfDue(static (now, store) => store.RemoveExpired(now), this);
        var cutoff = new SubjectCutoff(issuedAtOrBefore, keepUntil);
        _subjects.AddOrUpdate(
            subject,
            static (_, @new) => @new,
            static (_, old, @new) => new SubjectCutoff(Max(old.IssuedAtOrBefore, @new.IssuedAtOrBefore), Max(old.KeepUntil, @new.KeepUntil)),
            cutoff);
        return ValueTask.CompletedTask;
    }

    public ValueTask<DateTimeOffset?> GetSubjectCutoffAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return _subjects.TryGetValue(subject, out var cutoff) && timeProvider.GetUtcNow() < cutoff.KeepUntil
            ? new(cutoff.IssuedAtOrBefore)
            : new((DateTimeOffset?)null);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var pair in _tokens)
        {
            if (now >= pair.Value)
            {
                _tokens.TryRemove(pair);
            }
        }

        foreach (var pair in _subjects)
        {
            if (now >= pair.Value.KeepUntil)
            {
                _subjects.TryRemove(pair);
            }
        }
    }

    private readonly record struct SubjectCutoff(DateTimeOffset IssuedAtOrBefore, DateTimeOffset KeepUntil);
}
