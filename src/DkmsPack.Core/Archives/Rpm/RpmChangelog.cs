namespace DkmsPack.Archives.Rpm;

/// <summary>One %changelog entry: its date (seconds), "Name &lt;email&gt; - version-release", and its text.</summary>
public sealed record RpmChangelogEntry(long Time, string Name, string Text);

/// <summary>The changelog tags: three parallel arrays, newest entry first.</summary>
public static class RpmChangelog
{
    private const long SecondsPerDay = 86400;
    private const long Noon = 12 * 3600;

    /// <summary>rpmbuild stores a %changelog date (a day, no time) as that day at 12:00 UTC.</summary>
    public static long DayAtNoon(long time) => time - (time % SecondsPerDay) + Noon;

    public static void AddTo(RpmHeaderBuilder header, IReadOnlyList<RpmChangelogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entries);
        header
            .AddInt32Array(RpmTag.ChangelogTime, [.. entries.Select(e => checked((uint)e.Time))])
            .AddStringArray(RpmTag.ChangelogName, [.. entries.Select(e => e.Name)])
            .AddStringArray(RpmTag.ChangelogText, [.. entries.Select(e => e.Text)]);
    }
}
