namespace DkmsPack.Licensing;

/// <summary>
/// The strings MODULE_LICENSE() takes, as the kernel's include/linux/license.h (license_is_gpl_compatible) and
/// the comment above MODULE_LICENSE in include/linux/module.h list them, turned into SPDX expressions.
/// </summary>
public static class ModuleLicense
{
    /// <summary>The one non-free string module.h names; it taints the kernel.</summary>
    public const string Proprietary = "Proprietary";

    // module.h: "GPL" and "GPL v2" (also inside the "Dual" strings) state GPL version 2 without saying "only" or
    // "or later"; -only is the reading that claims no more than the string does. "Dual BSD/GPL" names no BSD
    // variant; the three-clause one is what most such modules carry. SPDX tags in the sources, when present,
    // always win over these.
    private static readonly Dictionary<string, string> s_free = new(StringComparer.Ordinal)
    {
        ["GPL"] = "GPL-2.0-only",
        ["GPL v2"] = "GPL-2.0-only",
        ["GPL and additional rights"] = "GPL-2.0-only",
        ["Dual BSD/GPL"] = "GPL-2.0-only OR BSD-3-Clause",
        ["Dual MIT/GPL"] = "GPL-2.0-only OR MIT",
        ["Dual MPL/GPL"] = "GPL-2.0-only OR MPL-1.1",
    };

    /// <summary>Every string the kernel accepts as free, in license.h's order.</summary>
    public static IReadOnlyList<string> FreeStrings { get; } = [.. s_free.Keys];

    /// <summary>
    /// The SPDX expression a MODULE_LICENSE string stands for, or null for "Proprietary" and for strings the
    /// kernel does not know (both taint it; neither names licence terms dkmspack could write down).
    /// </summary>
    public static SpdxExpression? ToSpdx(string moduleLicense) =>
        s_free.TryGetValue(moduleLicense, out string? spdx) ? SpdxExpression.Parse(spdx) : null;
}
