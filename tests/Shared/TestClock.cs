using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Testing;

/// <summary>
/// The one instant every test project starts its fake clock at, so a date in one project's test means the same
/// as in another's. Tests move time with <see cref="FakeTimeProvider.Advance"/>; an expected timestamp is written as
/// an offset from <see cref="Start"/>.
/// </summary>
internal static class TestClock
{
    /// <summary>2026-01-02T03:04:05Z: every field of the date and time differs, so a swapped field shows.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A fresh fake clock at <see cref="Start"/>; each test gets its own so advancing it touches no other test.</summary>
    public static FakeTimeProvider NewTimeProvider() => new(Start);
}
