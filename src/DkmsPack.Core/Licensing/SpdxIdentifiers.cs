namespace DkmsPack.Licensing;

/// <summary>
/// The SPDX licence and exception identifiers dkmspack knows by name (https://spdx.org/licenses/): every one in the
/// kernel's LICENSES/ folders (preferred, dual, deprecated, other, exceptions) and the common ones beside them.
/// Identifiers match case-insensitively (SPDX spec, annex "SPDX license expressions", "Case sensitivity"); these
/// give the canonical spelling. An identifier not listed here is still accepted as written.
/// </summary>
public static class SpdxIdentifiers
{
    /// <summary>
    /// The GNU licences whose bare identifiers (GPL-2.0, and GPL-2.0+ for "or later") SPDX deprecated in list
    /// version 3.0 for the -only / -or-later forms. The kernel's LICENSES/preferred/GPL-2.0 still lists all four.
    /// </summary>
    private static readonly string[] s_gnuFamilies =
    [
        "GPL-1.0", "GPL-2.0", "GPL-3.0", "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "AGPL-1.0", "AGPL-3.0", "GFDL-1.1", "GFDL-1.2", "GFDL-1.3",
    ];

    private static readonly string[] s_licenses =
    [
        "0BSD", "AFL-2.1", "AFL-3.0", "Apache-1.1", "Apache-2.0", "Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0",
        "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent", "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0",
        "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "copyleft-next-0.3.1", "curl", "EPL-1.0", "EPL-2.0",
        "HPND", "ISC", "Linux-OpenIB", "MIT", "MIT-0", "MPL-1.0", "MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception",
        "OpenSSL", "Unlicense", "WTFPL", "X11", "Zlib",
    ];

    private static readonly string[] s_exceptions =
    [
        "389-exception", "Autoconf-exception-2.0", "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0",
        "eCos-exception-2.0", "FLTK-exception", "Font-exception-2.0", "GCC-exception-2.0", "GCC-exception-3.1", "GPL-CC-1.0",
        "Libtool-exception", "Linux-syscall-note", "LLVM-exception", "LZMA-exception", "OpenJDK-assembly-exception-1.0",
        "openvpn-openssl-exception", "Qt-GPL-exception-1.0", "Qt-LGPL-exception-1.1", "u-boot-exception-2.0",
        "Universal-FOSS-exception-1.0", "WxWindows-exception-3.1",
    ];

    private static readonly Dictionary<string, string> s_canonicalLicense = BuildLicenses();

    private static readonly Dictionary<string, string> s_canonicalException = s_exceptions.ToDictionary(e => e, StringComparer.OrdinalIgnoreCase);

    /// <summary>The -only form of a GNU family ("GPL-2.0" gives "GPL-2.0-only").</summary>
    public static string Only(string family) => family + "-only";

    /// <summary>The -or-later form of a GNU family ("GPL-2.0" gives "GPL-2.0-or-later").</summary>
    public static string OrLater(string family) => family + "-or-later";

    /// <summary>
    /// The canonical current identifier for <paramref name="id"/> (any case), with a trailing "+" folded in:
    /// GPL-2.0 gives GPL-2.0-only, GPL-2.0+ and GPL-2.0-only+ give GPL-2.0-or-later. Null when the identifier is
    /// not one dkmspack knows; <paramref name="orLater"/> then says whether "+" remains to be written after it.
    /// </summary>
    public static string? Canonical(string id, bool plus, out bool orLater)
    {
        ArgumentNullException.ThrowIfNull(id);
        orLater = plus;
        string? family = GnuFamily(id, out bool explicitOrLater);
        if (family is not null)
        {
            orLater = false;
            return plus || explicitOrLater ? OrLater(family) : Only(family);
        }

        return s_canonicalLicense.GetValueOrDefault(id);
    }

    /// <summary>The canonical spelling of a known licence exception, or null.</summary>
    public static string? CanonicalException(string id) => s_canonicalException.GetValueOrDefault(id);

    /// <summary>True when <paramref name="id"/> names a licence (known to dkmspack, any case).</summary>
    public static bool IsKnownLicense(string id) => Canonical(id, plus: false, out _) is not null;

    /// <summary>
    /// The GNU family of a GNU identifier in any of its forms ("gpl-2.0-or-later" gives "GPL-2.0"), or null.
    /// </summary>
    public static string? GnuFamily(string id, out bool orLater)
    {
        ArgumentNullException.ThrowIfNull(id);
        orLater = false;
        foreach (string family in s_gnuFamilies)
        {
            if (!id.StartsWith(family, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string rest = id[family.Length..];
            if (rest.Length == 0 || rest.Equals("-only", StringComparison.OrdinalIgnoreCase))
            {
                return family;
            }

            if (rest.Equals("-or-later", StringComparison.OrdinalIgnoreCase))
            {
                orLater = true;
                return family;
            }
        }

        return null;
    }

    private static Dictionary<string, string> BuildLicenses()
    {
        var known = s_licenses.ToDictionary(l => l, StringComparer.OrdinalIgnoreCase);
        foreach (string family in s_gnuFamilies)
        {
            known[Only(family)] = Only(family);
            known[OrLater(family)] = OrLater(family);
        }

        return known;
    }
}
