namespace DkmsPack.Packaging.Deb;

/// <summary>
/// Turns an SPDX expression into the short names and License paragraph text of a machine-readable
/// debian/copyright (copyright-format 1.0, "License specification"), pointing at /usr/share/common-licenses
/// where Debian ships the full text.
/// </summary>
public static class DebianLicense
{
    private static readonly Dictionary<string, (string ShortName, string? CommonLicense)> s_known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GPL-2.0-only"] = ("GPL-2", "GPL-2"),
        ["GPL-2.0"] = ("GPL-2", "GPL-2"),
        ["GPL-2.0-or-later"] = ("GPL-2+", "GPL-2"),
        ["GPL-2.0+"] = ("GPL-2+", "GPL-2"),
        ["GPL-3.0-only"] = ("GPL-3", "GPL-3"),
        ["GPL-3.0-or-later"] = ("GPL-3+", "GPL-3"),
        ["LGPL-2.1-only"] = ("LGPL-2.1", "LGPL-2.1"),
        ["LGPL-2.1-or-later"] = ("LGPL-2.1+", "LGPL-2.1"),
        ["MPL-2.0"] = ("MPL-2.0", "MPL-2.0"),
        ["Apache-2.0"] = ("Apache-2.0", "Apache-2.0"),
        ["MIT"] = ("Expat", null),
        ["BSD-2-Clause"] = ("BSD-2-clause", null),
        ["BSD-3-Clause"] = ("BSD-3-clause", "BSD"),
    };

    /// <summary>The License field's first line, e.g. "GPL-2 or Expat".</summary>
    public static string ShortName(string spdx) =>
        string.Join(" or ", Alternatives(spdx).Select(id => s_known.TryGetValue(id, out var known) ? known.ShortName : id));

    /// <summary>The License paragraph's body lines (already indented by one space, " ." for blank lines).</summary>
    public static string Text(string spdx)
    {
        var lines = new List<string>();
        foreach (string id in Alternatives(spdx))
        {
            if (lines.Count > 0)
            {
                lines.Add(" .");
            }

            lines.Add(s_known.TryGetValue(id, out var known) && known.CommonLicense is { } common
                ? $" On Debian systems, the complete text of the {id} licence is in /usr/share/common-licenses/{common}."
                : $" The {id} licence terms are in the module's source files.");
        }

        return string.Join('\n', lines);
    }

    private static string[] Alternatives(string spdx) =>
        spdx.Split(" OR ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
