using System.Text;

namespace DkmsPack.Dkms;

/// <summary>Produces the dkms.conf to install: the original bytes, with PACKAGE_VERSION pinned when <c>--version</c> overrides it.</summary>
internal static class PackagedTextWriter
{
    /// <summary>
    /// Returns the text unchanged unless <paramref name="version"/> differs from the file's literal PACKAGE_VERSION (or that
    /// is a placeholder or dynamic). Then the value of every assignment of PACKAGE_VERSION becomes <c>"version"</c>:
    /// rewriting only the last one would leave an <c>if</c>/<c>else</c> or <c>&amp;&amp;</c> branch able to set another value.
    /// When the file's value is a placeholder, the same placeholder elsewhere (say in MAKE) is replaced too, as dh_dkms -V does.
    /// Everything else, line endings included, is kept byte for byte.
    /// </summary>
    public static string Write(DkmsConfScript original, string? version)
    {
        string text = original.Source.Text;
        if (version is null)
        {
            return text;
        }

        ShellValue? current = original.Element(DkmsDirectives.PackageVersion)?.Value;
        if (current is { IsLiteral: true } && string.Equals(current.Text, version, StringComparison.Ordinal))
        {
            return text;
        }

        var edits = new List<(int Start, int End, string Replacement)>();
        foreach (AssignmentSite site in original.Assignments.Where(AssignsPackageVersion))
        {
            // "+=" becomes "=": appending to the pinned version would change it again.
            // In a CRLF file the value bash reads ends in the line's CR; it stays, so the line keeps its ending.
            int start = site.IsAppend ? site.OperatorStart : site.ValueSpan.Start;
            int end = site.ValueSpan.Length > 0 && text[site.ValueSpan.End - 1] == '\r' ? site.ValueSpan.End - 1 : site.ValueSpan.End;
            edits.Add((start, end, $"{(site.IsAppend ? "=" : string.Empty)}\"{version}\""));
        }

        if (current is { IsLiteral: true } && Placeholder.IsPlaceholder(current.Text))
        {
            foreach (int at in Placeholder.Occurrences(text, current.Text))
            {
                int end = at + current.Text.Length;
                if (!edits.Any(edit => at < edit.End && end > edit.Start))
                {
                    edits.Add((at, end, version));
                }
            }
        }

        var packaged = new StringBuilder(text.Length);
        int copied = 0;
        foreach ((int start, int end, string replacement) in edits.OrderBy(edit => edit.Start))
        {
            packaged.Append(text, copied, start - copied).Append(replacement);
            copied = end;
        }

        return packaged.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// True for an assignment that sets PACKAGE_VERSION (element 0) and so gets pinned; <c>PACKAGE_VERSION[1]=…</c> and
    /// <c>PACKAGE_VERSION+=( … )</c> leave element 0 alone.
    /// </summary>
    public static bool AssignsPackageVersion(AssignmentSite site) =>
        string.Equals(site.Name, DkmsDirectives.PackageVersion, StringComparison.Ordinal)
        && (site.Index is null || (ShellLexer.TryParseIndex(site.Index, out int index) && index == 0))
        && !(site.IsArray && site.IsAppend);
}
