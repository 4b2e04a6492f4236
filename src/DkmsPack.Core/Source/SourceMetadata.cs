using System.Text.RegularExpressions;
using DkmsPack.Model;

namespace DkmsPack.Source;

/// <summary>
/// What the module's own sources say about licence and copyright, so packages need not invent it:
/// SPDX-License-Identifier tags (the kernel's convention), else MODULE_LICENSE(), and "Copyright" lines.
/// </summary>
public static partial class SourceMetadata
{
    /// <summary>Only the top of each file is read: licence headers live there, and large trees stay fast.</summary>
    private const int HeadBytes = 4096;

    /// <summary>A driver has a handful of sources; past this many, the rest of a big tree adds nothing but time.</summary>
    private const int MaxFilesRead = 64;

    /// <summary>The copyright field lists at most this many holders, then says there are more.</summary>
    private const int MaxHolders = 8;

    private static readonly Dictionary<string, string> s_moduleLicenseToSpdx = new(StringComparer.Ordinal)
    {
        // include/linux/module.h: "GPL" and "GPL v2" both mean GPL v2 without saying only/or-later; SPDX tags win when present.
        ["GPL"] = "GPL-2.0-only",
        ["GPL v2"] = "GPL-2.0-only",
        ["Dual MIT/GPL"] = "MIT OR GPL-2.0-only",
        ["Dual BSD/GPL"] = "BSD-3-Clause OR GPL-2.0-only",
        ["Dual MPL/GPL"] = "MPL-1.1 OR GPL-2.0-only",
    };

    public sealed record Findings(string? License, IReadOnlyList<string> CopyrightHolders);

    /// <summary>Reads the heads of the C sources and headers among <paramref name="entries"/>.</summary>
    public static Findings Read(IEnumerable<PackageEntry> entries)
    {
        var spdx = new SortedSet<string>(StringComparer.Ordinal);
        var moduleLicenses = new SortedSet<string>(StringComparer.Ordinal);
        var holders = new List<string>();
        byte[] buffer = new byte[HeadBytes];
        bool moreHolders = false;
        IEnumerable<PackageEntry> sources = entries
            .Where(e => e.Kind == EntryKind.File && (e.Path.EndsWith(".c", StringComparison.Ordinal) || e.Path.EndsWith(".h", StringComparison.Ordinal)))
            .Take(MaxFilesRead);
        foreach (PackageEntry entry in sources)
        {
            string head;
            using (Stream stream = entry.Content!.Open())
            {
                head = System.Text.Encoding.UTF8.GetString(buffer, 0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
            }

            foreach (Match match in SpdxTag().Matches(head))
            {
                spdx.Add(match.Groups["expr"].Value.Trim());
            }

            foreach (Match match in ModuleLicense().Matches(head))
            {
                moduleLicenses.Add(match.Groups["ident"].Value);
            }

            foreach (Match match in CopyrightLine().Matches(head))
            {
                string holder = string.Join(' ', match.Groups["holder"].Value.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', '*', '/', ',', ' ');
                if (holder.Length == 0 || holders.Contains(holder, StringComparer.Ordinal))
                {
                    continue;
                }

                if (holders.Count < MaxHolders)
                {
                    holders.Add(holder);
                }
                else
                {
                    moreHolders = true;
                }
            }
        }

        if (moreHolders)
        {
            holders.Add("and others (see the source files)");
        }

        return new Findings(License(spdx, moduleLicenses), holders);
    }

    private static string? License(SortedSet<string> spdx, SortedSet<string> moduleLicenses)
    {
        // A few distinct tags combine into one expression; a tree with many (a kernel tree) has no single
        // licence worth writing down, so the caller asks for --license.
        if (spdx.Count is > 0 and <= 3)
        {
            return spdx.Count == 1 ? spdx.Min : string.Join(" AND ", spdx.Select(e => e.Contains(' ', StringComparison.Ordinal) ? $"({e})" : e));
        }

        if (spdx.Count > 3)
        {
            return null;
        }

        // MODULE_LICENSE usually sits at the end of a file, so it is found only in files shorter than the
        // head read here; SPDX tags, which the kernel puts on line 1, are the reliable source.
        return moduleLicenses.Count == 1 && s_moduleLicenseToSpdx.TryGetValue(moduleLicenses.Min!, out string? mapped) ? mapped : null;
    }

    [GeneratedRegex(@"SPDX-License-Identifier:\s*(?<expr>[A-Za-z0-9.+\-() ]+?)\s*(\*/)?\s*$", RegexOptions.Multiline)]
    private static partial Regex SpdxTag();

    [GeneratedRegex("""MODULE_LICENSE\s*\(\s*"(?<ident>[^"]+)"\s*\)""")]
    private static partial Regex ModuleLicense();

    [GeneratedRegex(@"^[\s/*#]*Copyright\s*(\(C\)|\(c\)|©)?\s*(?<holder>[0-9].*)$", RegexOptions.Multiline)]
    private static partial Regex CopyrightLine();
}
