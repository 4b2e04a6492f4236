using DkmsPack.Diagnostics;

namespace DkmsPack.Licensing;

/// <summary>The licence the user typed (<c>--license</c>): a bad one is the command line's fault (exit 1), unlike one found in the sources.</summary>
public static class LicenseOption
{
    /// <summary>The normalised SPDX text of <paramref name="value"/>; unknown identifiers add a warning to <paramref name="warnings"/>.</summary>
    public static string Normalise(string value, ICollection<Diagnostic> warnings)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(warnings);
        string shown = value.ReplaceLineEndings(" ");
        if (!SpdxExpression.TryParse(value.Trim(), out SpdxExpression? expression, out string? error))
        {
            throw DkmsPackException.Options($"{OptionRef.To("license")} \"{shown}\" {error}", "give an SPDX licence expression such as GPL-2.0-only, \"GPL-2.0-only OR MIT\" or LicenseRef-MyTerms (https://spdx.org/licenses/)");
        }

        foreach (SpdxLicense unknown in expression!.Licenses.Where(l => !l.IsKnown))
        {
            warnings.Add(Diagnostic.Warning(null, 0, $"{OptionRef.To("license")} names \"{unknown.Id}\", which is not an SPDX licence identifier dkmspack knows", "check its spelling against https://spdx.org/licenses/", DiagnosticCode.Option));
        }

        return expression!.ToString();
    }
}
