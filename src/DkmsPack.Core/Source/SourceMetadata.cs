using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Licensing;
using DkmsPack.Model;

namespace DkmsPack.Source;

/// <summary>
/// What the module's own files say about licence and copyright, so packages need not invent it:
/// SPDX-License-Identifier tags (the kernel's convention), else MODULE_LICENSE(), and "Copyright" lines.
/// Nothing found here can fail the command line: a value that cannot be used is a warning, and the caller
/// falls back (to the maintainer as holder; to asking for --license).
/// </summary>
public static partial class SourceMetadata
{
    /// <summary>Files up to this size are read whole (MODULE_LICENSE usually sits at their end); larger ones only at head and tail.</summary>
    private const int WholeFileBytes = 64 * 1024;

    /// <summary>The head and the tail read from a larger file: licence headers open a file, MODULE_LICENSE closes it.</summary>
    private const int EdgeBytes = 8192;

    /// <summary>SPDX tags belong on the first lines (the kernel's rule: line 1, or 2 after a #!); a tag further down is text about tags.</summary>
    private const int TagLines = 8;

    /// <summary>Past this many files, a big tree adds time but no licence a driver would have.</summary>
    private const int MaxFilesRead = 2048;

    /// <summary>The copyright field lists at most this many holders, then says there are more.</summary>
    private const int MaxHolders = 8;

    /// <summary>A tree whose tags combine into more distinct licences than this (a kernel tree) has no one licence worth writing down.</summary>
    private const int MaxLicenses = 16;

    private const string SpdxTagName = "SPDX-License-Identifier";

    private static readonly Encoding s_strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="License">The combined SPDX expression, or null when the sources name none that dkmspack can use.</param>
    /// <param name="CopyrightHolders">Cleaned holders ("2024 Jane Doe &lt;jane@example.org&gt;"), each once.</param>
    /// <param name="LicenseWarnings">Licence tags and strings found but not usable, each naming its file and line (moot when the user gives the licence).</param>
    public sealed record Findings(SpdxExpression? License, IReadOnlyList<string> CopyrightHolders, IReadOnlyList<Diagnostic> LicenseWarnings)
    {
        /// <summary>What a read that did not take place found: no licence, no holders, no warnings.</summary>
        public static Findings Nothing { get; } = new(null, [], []);

        /// <summary>
        /// The Copyright field: the holders found, else the fallback holder (the maintainer) with the build year, so
        /// that the field still reads as a copyright notice (lintian: copyright-without-copyright-notice).
        /// </summary>
        public string CopyrightField(string fallbackHolder, long buildTime) =>
            CopyrightHolders.Count > 0
                ? string.Join("; ", CopyrightHolders)
                : $"{DateTimeOffset.FromUnixTimeSeconds(buildTime).Year.ToString(CultureInfo.InvariantCulture)} {DerivedText.OneLine(fallbackHolder)}";
    }

    /// <summary>
    /// Reads the sources, headers and kbuild files among <paramref name="entries"/> (installed under
    /// <paramref name="installDirectory"/>); diagnostics name them under <paramref name="displayRoot"/>, the tree
    /// as the user gave it.
    /// </summary>
    public static Findings Read(IEnumerable<PackageEntry> entries, string installDirectory, string displayRoot)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var tags = new List<SpdxExpression>();
        var moduleLicenses = new List<(string Value, string File, int Line)>();
        var holders = new List<string>();
        var warnings = new List<Diagnostic>();
        bool moreHolders = false;
        foreach (PackageEntry entry in entries.Where(IsSource).Take(MaxFilesRead))
        {
            string relative = entry.Path.StartsWith(installDirectory + "/", StringComparison.Ordinal) ? entry.Path[(installDirectory.Length + 1)..] : entry.Path;
            string display = Path.Combine(displayRoot, relative);
            foreach (Excerpt excerpt in Excerpts(entry))
            {
                if (excerpt.IsHead && SpdxTag().Match(excerpt.Text) is { Success: true } tag && LineOf(excerpt, tag.Index) <= TagLines)
                {
                    AddTag(tags, warnings, tag.Groups["expr"].Value, display, LineOf(excerpt, tag.Index));
                }

                foreach (Match match in ModuleLicenseCall().Matches(excerpt.Text))
                {
                    moduleLicenses.Add((match.Groups["ident"].Value, display, LineOf(excerpt, match.Index)));
                }

                foreach (Match match in CopyrightLine().Matches(excerpt.Text))
                {
                    if (DerivedText.OneLine(match.Groups["holder"].Value) is not { } holder || holders.Contains(holder, StringComparer.Ordinal))
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
        }

        if (moreHolders)
        {
            holders.Add("and others (see the source files)");
        }

        SpdxExpression? license = tags.Count > 0 ? Combined(tags, warnings, displayRoot) : FromModuleLicenses(moduleLicenses, warnings);
        return new Findings(license, holders, warnings);
    }

    private static bool IsSource(PackageEntry entry)
    {
        if (entry.Kind != EntryKind.File)
        {
            return false;
        }

        string name = entry.Path[(entry.Path.LastIndexOf('/') + 1)..];
        return name.EndsWith(".c", StringComparison.Ordinal) || name.EndsWith(".h", StringComparison.Ordinal) || name.EndsWith(".S", StringComparison.Ordinal)
            || name is "Makefile" or "Kbuild" or "Kconfig";
    }

    private static void AddTag(List<SpdxExpression> tags, List<Diagnostic> warnings, string value, string file, int line)
    {
        // The tag ends the comment line it is on: "/* SPDX-License-Identifier: GPL-2.0 */", "<!-- … -->".
        string text = DerivedText.OneLine(value.Replace("*/", " ", StringComparison.Ordinal).Replace("-->", " ", StringComparison.Ordinal)) ?? string.Empty;
        if (!SpdxExpression.TryParse(text, out SpdxExpression? expression, out string? error))
        {
            warnings.Add(Diagnostic.Warning(file, line, $"{SpdxTagName} \"{text}\" {error}, so it is left out of the package's licence", "correct the tag, or pass " + OptionRef.To("license")));
            return;
        }

        foreach (SpdxLicense unknown in expression!.Licenses.Where(l => !l.IsKnown))
        {
            warnings.Add(Diagnostic.Warning(file, line, $"{SpdxTagName} names \"{unknown.Id}\", which is not an SPDX licence identifier dkmspack knows", "check its spelling against https://spdx.org/licenses/, or pass " + OptionRef.To("license")));
        }

        tags.Add(expression);
    }

    private static SpdxExpression? Combined(List<SpdxExpression> tags, List<Diagnostic> warnings, string displayRoot)
    {
        SpdxExpression combined = SpdxExpression.AllOf(tags);
        int count = combined is SpdxCompound { Operator: SpdxOperator.And } conjunction ? conjunction.Operands.Count : 1;
        if (count <= MaxLicenses)
        {
            return combined;
        }

        warnings.Add(Diagnostic.Warning(displayRoot, 0, $"the {SpdxTagName} tags name {count.ToString(CultureInfo.InvariantCulture)} different licences, too many to combine into one", $"pass {OptionRef.To("license")} with the licence of the module as a whole"));
        return null;
    }

    /// <summary>Every MODULE_LICENSE string must be one the kernel knows as free; one that is not (Proprietary, a typo) leaves the licence unknown.</summary>
    private static SpdxExpression? FromModuleLicenses(List<(string Value, string File, int Line)> found, List<Diagnostic> warnings)
    {
        var mapped = new List<SpdxExpression>();
        foreach ((string value, string file, int line) in found)
        {
            string shown = DerivedText.OneLine(value) ?? string.Empty;
            if (ModuleLicense.ToSpdx(value) is { } spdx)
            {
                mapped.Add(spdx);
            }
            else if (value == ModuleLicense.Proprietary)
            {
                warnings.Add(Diagnostic.Warning(file, line, $"MODULE_LICENSE(\"{shown}\") names no licence terms that a package could state", $"pass {OptionRef.To("license")} (a LicenseRef-… for your own terms)"));
            }
            else
            {
                warnings.Add(Diagnostic.Warning(file, line, $"MODULE_LICENSE(\"{shown}\") is not one the kernel knows (include/linux/license.h: {string.Join(", ", ModuleLicense.FreeStrings.Select(s => $"\"{s}\""))}), so the module taints the kernel and its licence is unknown", $"pass {OptionRef.To("license")}"));
            }
        }

        return mapped.Count > 0 && mapped.Count == found.Count ? SpdxExpression.AllOf(mapped) : null;
    }

    /// <summary>Small files whole; larger ones as their first and last <see cref="EdgeBytes"/> (the tail without line numbers).</summary>
    private static List<Excerpt> Excerpts(PackageEntry entry)
    {
        using Stream stream = entry.Content!.Open();
        long length = entry.Content.Length;
        byte[] head = new byte[length <= WholeFileBytes ? (int)length : EdgeBytes];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        bool cut = length > WholeFileBytes;
        var excerpts = new List<Excerpt> { new(Decode(WholeCharacters(head.AsSpan(0, read), cutAtStart: false, cutAtEnd: cut)), IsHead: true, Lines: true) };
        if (cut && stream.CanSeek)
        {
            stream.Seek(-EdgeBytes, SeekOrigin.End);
            byte[] tail = new byte[EdgeBytes];
            int tailRead = stream.ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false);
            excerpts.Add(new Excerpt(Decode(WholeCharacters(tail.AsSpan(0, tailRead), cutAtStart: true, cutAtEnd: false)), IsHead: false, Lines: false));
        }

        return excerpts;
    }

    /// <summary>Drops the bytes of a UTF-8 character that a cut through the file split, so the excerpt still decodes as UTF-8.</summary>
    private static ReadOnlySpan<byte> WholeCharacters(ReadOnlySpan<byte> bytes, bool cutAtStart, bool cutAtEnd)
    {
        const int maxSequence = 4;
        static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;
        if (cutAtStart)
        {
            int skip = 0;
            while (skip < maxSequence - 1 && skip < bytes.Length && IsContinuation(bytes[skip]))
            {
                skip++;
            }

            bytes = bytes[skip..];
        }

        if (cutAtEnd)
        {
            // Find the last lead byte among the final few; drop its sequence if the bytes after it are too few.
            for (int back = 1; back <= Math.Min(maxSequence, bytes.Length); back++)
            {
                byte b = bytes[^back];
                if (!IsContinuation(b))
                {
                    int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                    return needed > back ? bytes[..^back] : bytes;
                }
            }
        }

        return bytes;
    }

    /// <summary>UTF-8, else Latin-1 (older sources spell names such as "Jörg" in ISO 8859-1).</summary>
    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static int LineOf(Excerpt excerpt, int index) =>
        excerpt.Lines ? 1 + excerpt.Text.AsSpan(0, index).Count('\n') : 0;

    [GeneratedRegex(@"SPDX-License-Identifier:[ \t]*(?<expr>[^\r\n]*)")]
    private static partial Regex SpdxTag();

    [GeneratedRegex("""MODULE_LICENSE\s*\(\s*"(?<ident>[^"\r\n]{1,200})"\s*\)""")]
    private static partial Regex ModuleLicenseCall();

    /// <summary>
    /// "Copyright (C) 2024 Jane", "(c) Copyright 2024 Jane", "Copyright © 2024 Jane", "SPDX-FileCopyrightText: 2024
    /// Jane" at the start of a comment line; only with a year, which tells a notice from prose about copyright.
    /// </summary>
    [GeneratedRegex(@"^[ \t/*#;!-]*(?:(?:\([Cc]\)|©)[ \t]*)?(?:Copyright\b|SPDX-FileCopyrightText:)[ \t:]*(?:(?:\([Cc]\)|©)[ \t]*)?(?<holder>[0-9][^\r\n]{0,300})", RegexOptions.Multiline)]
    private static partial Regex CopyrightLine();

    private sealed record Excerpt(string Text, bool IsHead, bool Lines);
}
