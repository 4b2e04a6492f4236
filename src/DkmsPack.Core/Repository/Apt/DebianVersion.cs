using System.Globalization;

namespace DkmsPack.Repository.Apt;

/// <summary>
/// Debian version ordering, as dpkg compares versions (deb-version(5)): epoch numerically, then upstream version
/// and revision each by alternating non-digit parts (letters before non-letters, <c>~</c> before everything, even
/// the end) and digit parts compared as numbers.
/// </summary>
public sealed class DebianVersion : IComparer<string>
{
    public static DebianVersion Comparer { get; } = new();

    public int Compare(string? x, string? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        (long epochX, string upstreamX, string revisionX) = Split(x);
        (long epochY, string upstreamY, string revisionY) = Split(y);
        int byEpoch = epochX.CompareTo(epochY);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        int byUpstream = CompareParts(upstreamX, upstreamY);
        return byUpstream != 0 ? byUpstream : CompareParts(revisionX, revisionY);
    }

    /// <summary>The version without its epoch, as it appears in a .deb's file name (dpkg-name).</summary>
    public static string WithoutEpoch(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        int colon = version.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? version : version[(colon + 1)..];
    }

    private static (long Epoch, string Upstream, string Revision) Split(string version)
    {
        int colon = version.IndexOf(':', StringComparison.Ordinal);
        long epoch = colon > 0 && long.TryParse(version.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long e) ? e : 0;
        string rest = colon < 0 ? version : version[(colon + 1)..];
        int dash = rest.LastIndexOf('-');
        return dash < 0 ? (epoch, rest, string.Empty) : (epoch, rest[..dash], rest[(dash + 1)..]);
    }

    // dpkg's verrevcmp.
    private static int CompareParts(string a, string b)
    {
        int i = 0;
        int j = 0;
        while (i < a.Length || j < b.Length)
        {
            int firstDifference = 0;
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int ac = i < a.Length ? Order(a[i]) : 0;
                int bc = j < b.Length ? Order(b[j]) : 0;
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0)
                {
                    firstDifference = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDifference != 0)
            {
                return firstDifference;
            }
        }

        return 0;
    }

    private static int Order(char c) => c switch
    {
        '~' => -1,
        _ when char.IsAsciiDigit(c) => 0,
        _ when char.IsAsciiLetter(c) => c,
        _ => c + 256,
    };
}
