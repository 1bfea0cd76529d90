using System.Collections.Concurrent;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The node's copy of the JWT revocations (revoked ids and subject cut-offs with their <c>keep_until</c>), loaded
/// from the database and kept current by the <see cref="RevocationFeed"/>, so the JWT hot path answers "revoked?"
/// without a round trip. Entries only ever grow to the later value, as in the database. Until the node has held a
/// revocation of a kind, checks of that kind skip the lookup (a volatile flag, set after the entry is in and never
/// cleared, so a check never misses an entry that was in before it began).
/// </summary>
internal sealed class LocalRevocations
{
    private ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, SubjectCutoff> _subjects = new(StringComparer.Ordinal);
    private volatile bool _anyTokens;
    private volatile bool _anySubjects;

    public int Count => _tokens.Count + _subjects.Count;

    /// <summary>Whether <paramref name="tokenId"/> is revoked; the clock is read only when an entry is found (the hot path finds none).</summary>
    public bool IsRevoked(string tokenId, TimeProvider time) => _anyTokens && _tokens.TryGetValue(tokenId, out var keepUntil) && time.GetUtcNow() < keepUntil;

    /// <summary>The subject's cut-off, if any; the clock is read only when an entry is found.</summary>
    public DateTimeOffset? GetSubjectCutoff(string subject, TimeProvider time) =>
        _anySubjects && _subjects.TryGetValue(subject, out var cutoff) && time.GetUtcNow() < cutoff.KeepUntil ? cutoff.IssuedAtOrBefore : null;

    public void RevokeToken(string tokenId, DateTimeOffset keepUntil)
    {
        _tokens.AddOrUpdate(tokenId, static (_, keep) => keep, static (_, old, keep) => Max(old, keep), keepUntil);
        _anyTokens = true;
    }

    public void RevokeSubject(string subject, DateTimeOffset issuedAtOrBefore, DateTimeOffset keepUntil)
    {
        _subjects.AddOrUpdate(
            subject,
            static (_, @new) => @new,
            static (_, old, @new) => new SubjectCutoff(Max(old.IssuedAtOrBefore, @new.IssuedAtOrBefore), Max(old.KeepUntil, @new.KeepUntil)),
            new SubjectCutoff(issuedAtOrBefore, keepUntil));
        _anySubjects = true;
    }

    /// <summary>Replaces everything with a full load from the database.</summary>
    public void Replace(IEnumerable<KeyValuePair<string, DateTimeOffset>> tokens, IEnumerable<(string Subject, DateTimeOffset IssuedAtOrBefore, DateTimeOffset KeepUntil)> subjects)
    {
        var newTokens = new ConcurrentDictionary<string, DateTimeOffset>(tokens, StringComparer.Ordinal);
        var newSubjects = new ConcurrentDictionary<string, SubjectCutoff>(StringComparer.Ordinal);
        foreach (var (subject, cutoff, keepUntil) in subjects)
        {
            newSubjects[subject] = new SubjectCutoff(cutoff, keepUntil);
        }

        Volatile.Write(ref _tokens, newTokens);
        Volatile.Write(ref _subjects, newSubjects);
        if (!newTokens.IsEmpty)
        {
            _anyTokens = true;
        }

        if (!newSubjects.IsEmpty)
        {
            _anySubjects = true;
        }
    }

    /// <summary>Forgets the entries whose tokens have all expired.</summary>
    public void RemoveExpired(DateTimeOffset now)
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

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private readonly record struct SubjectCutoff(DateTimeOffset IssuedAtOrBefore, DateTimeOffset KeepUntil);
}
