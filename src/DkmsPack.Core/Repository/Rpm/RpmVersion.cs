namespace DkmsPack.Repository.Rpm;

/// <summary>
/// RPM version ordering (rpmvercmp in rpm's rpmio/rpmvercmp.cc): segments of digits or letters, separators
/// skipped; <c>~</c> sorts before everything (even the end), <c>^</c> after the end but before any segment;
/// digit segments compare numerically and beat letter segments. EVRs compare epoch, then version, then release.
/// </summary>
public sealed class RpmVersion : IComparer<(string Epoch, string Version, string Release)>
{
    public static RpmVersion Comparer { get; } = new();

    public int Compare((string Epoch, string Version, string Release) x, (string Epoch, string Version, string Release) y)
    {
        int byEpoch = long.Parse(x.Epoch.Length == 0 ? "0" : x.Epoch, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(long.Parse(y.Epoch.Length == 0 ? "0" : y.Epoch, System.Globalization.CultureInfo.InvariantCulture));
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        int byVersion = VerCmp(x.Version, y.Version);
        return byVersion != 0 ? byVersion : VerCmp(x.Release, y.Release);
    }

    /// <summary>-1, 0 or 1 as rpmvercmp returns.</summary>
    public static int VerCmp(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        int i = 0;
        int j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]) && a[i] is not '~' and not '^')
            {
                i++;
            }

            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]) && b[j] is not '~' and not '^')
            {
                j++;
            }

            bool tildeA = i < a.Length && a[i] == '~';
            bool tildeB = j < b.Length && b[j] == '~';
            if (tildeA || tildeB)
            {
                if (!tildeA)
                {
                    return 1;
                }

                if (!tildeB)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            bool caretA = i < a.Length && a[i] == '^';
            bool caretB = j < b.Length && b[j] == '^';
            if (caretA || caretB)
            {
                if (i >= a.Length)
                {
                    return -1;
                }

                if (j >= b.Length)
                {
                    return 1;
                }

                if (!caretA)
                {
                    return 1;
                }

                if (!caretB)
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length)
            {
                break;
            }

            bool numeric = char.IsAsciiDigit(a[i]);
            int startA = i;
            int startB = j;
            while (i < a.Length && (numeric ? char.IsAsciiDigit(a[i]) : char.IsAsciiLetter(a[i])))
            {
                i++;
            }

            while (j < b.Length && (numeric ? char.IsAsciiDigit(b[j]) : char.IsAsciiLetter(b[j])))
            {
                j++;
            }

            if (j == startB)
            {
                // Segments of different kinds: a number is newer than letters.
                return numeric ? 1 : -1;
            }

            string segmentA = a[startA..i];
            string segmentB = b[startB..j];
            if (numeric)
            {
                segmentA = segmentA.TrimStart('0');
                segmentB = segmentB.TrimStart('0');
                if (segmentA.Length != segmentB.Length)
                {
                    return segmentA.Length > segmentB.Length ? 1 : -1;
                }
            }

            int byText = string.CompareOrdinal(segmentA, segmentB);
            if (byText != 0)
            {
                return byText < 0 ? -1 : 1;
            }
        }

        bool endA = i >= a.Length;
        bool endB = j >= b.Length;
        return endA && endB ? 0 : endA ? -1 : 1;
    }
}
