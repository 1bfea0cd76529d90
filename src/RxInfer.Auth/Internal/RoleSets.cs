using System.Collections.Concurrent;

namespace RxInfer.Auth;

/// <summary>
/// Shares one array per distinct role list among the identities a provider issues, so a million stored tokens
/// with roles <c>["user"]</c> hold one array, not a million. Bounded: past <see cref="Capacity"/> distinct
/// lists, new lists are copied without sharing.
/// </summary>
internal sealed class RoleSets
{
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<string[], string[]> _sets = new(RoleListComparer.Instance);

    public string[] Intern(IReadOnlyList<string> roles)
    {
        var copy = TokenIdentity.CopyRoles(roles);
        if (_sets.TryGetValue(copy, out var shared))
        {
            return shared;
        }

        return _sets.Count < Capacity ? _sets.GetOrAdd(copy, copy) : copy;
    }

    private sealed class RoleListComparer : IEqualityComparer<string[]>
    {
        public static readonly RoleListComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y, StringComparer.Ordinal));

        public int GetHashCode(string[] roles)
        {
            var hash = new HashCode();
            foreach (var role in roles)
            {
                hash.Add(role, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
