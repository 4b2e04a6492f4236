using System.Globalization;
using DkmsPack.Diagnostics;
using DkmsPack.Rendering;

namespace DkmsPack.Licensing;

/// <summary>
/// An SPDX expression as a machine-readable debian/copyright writes it (copyright-format 1.0,
/// https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/, "License specification"): Debian's short
/// names (GPL-2+, Expat, BSD-3-clause…), "or"/"and" with a comma where the grouping needs one, "with X exception"
/// for SPDX's WITH, and one stand-alone License paragraph per licence, pointing at /usr/share/common-licenses where
/// Debian ships the text. docs/licences.md has the table and the reasons.
/// </summary>
public static class DebianLicense
{
    /// <summary>Where base-files installs the full texts of the licences it ships.</summary>
    public const string CommonLicenses = "/usr/share/common-licenses";

    /// <summary>A DEP-5 License field can only be an AND of ORs of ANDs; converting to that form may not grow past this many clauses.</summary>
    private const int MaxClauses = 64;

    /// <summary>
    /// SPDX licence (GNU families without -only/-or-later) to the copyright-format short name, the file in
    /// /usr/share/common-licenses (base-files, Debian 11 and later), and the name the paragraph text uses.
    /// BSD-3-Clause is not pointed at common-licenses/BSD: that file is the University of California's own
    /// text, and Policy 3.8.5 deprecated referring to it (lintian: copyright-refers-to-deprecated-bsd-license-file).
    /// </summary>
    private static readonly Dictionary<string, Known> s_known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GPL-1.0"] = new("GPL-1", "GPL-1", "version 1 of the GNU General Public License"),
        ["GPL-2.0"] = new("GPL-2", "GPL-2", "version 2 of the GNU General Public License"),
        ["GPL-3.0"] = new("GPL-3", "GPL-3", "version 3 of the GNU General Public License"),
        ["LGPL-2.0"] = new("LGPL-2", "LGPL-2", "version 2 of the GNU Library General Public License"),
        ["LGPL-2.1"] = new("LGPL-2.1", "LGPL-2.1", "version 2.1 of the GNU Lesser General Public License"),
        ["LGPL-3.0"] = new("LGPL-3", "LGPL-3", "version 3 of the GNU Lesser General Public License"),
        ["AGPL-3.0"] = new("AGPL-3", null, "version 3 of the GNU Affero General Public License"),
        ["GFDL-1.2"] = new("GFDL-1.2", "GFDL-1.2", "version 1.2 of the GNU Free Documentation License"),
        ["GFDL-1.3"] = new("GFDL-1.3", "GFDL-1.3", "version 1.3 of the GNU Free Documentation License"),
        ["Apache-2.0"] = new("Apache-2.0", "Apache-2.0", "version 2.0 of the Apache License"),
        ["MPL-1.1"] = new("MPL-1.1", "MPL-1.1", "version 1.1 of the Mozilla Public License"),
        ["MPL-2.0"] = new("MPL-2.0", "MPL-2.0", "version 2.0 of the Mozilla Public License"),
        ["CC0-1.0"] = new("CC0-1.0", "CC0-1.0", "the Creative Commons CC0 1.0 Universal licence"),
        ["Artistic-1.0-Perl"] = new("Artistic-1", "Artistic", "the Artistic License as Perl uses it"),
        ["MIT"] = new("Expat", null, "the MIT (Expat) licence"),
        ["BSD-2-Clause"] = new("BSD-2-clause", null, "the two-clause BSD licence"),
        ["BSD-3-Clause"] = new("BSD-3-clause", null, "the three-clause BSD licence"),
        ["BSD-4-Clause"] = new("BSD-4-clause", null, "the four-clause BSD licence"),
        ["ISC"] = new("ISC", null, "the ISC licence"),
        ["Zlib"] = new("Zlib", null, "the zlib licence"),
        ["CDDL-1.0"] = new("CDDL-1.0", null, "version 1.0 of the Common Development and Distribution License"),
    };

    /// <summary>copyright-format's keywords for exceptions it names; others keep their SPDX identifier.</summary>
    private static readonly Dictionary<string, string> s_exceptionKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Font-exception-2.0"] = "Font",
    };

    /// <summary>One stand-alone License paragraph: the short name and the body lines (each indented one space, " ." for a blank line).</summary>
    public sealed record Paragraph(string Name, string Text);

    /// <summary>Every SPDX licence with a Debian short name of its own, for the docs and tests.</summary>
    public static IEnumerable<(string Spdx, string ShortName, string? CommonLicense)> Table =>
        s_known.Select(k => (k.Key, k.Value.ShortName, k.Value.CommonLicense));

    /// <summary>The License field's first line in the Files paragraph, e.g. "GPL-2 or Expat" or "GPL-2, and GPL-2 or Expat".</summary>
    public static string ShortNames(SpdxExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return Render(Dep5Form(expression));
    }

    /// <summary>The short name of one licence, e.g. "GPL-2+ with Linux-syscall-note exception".</summary>
    public static string ShortName(SpdxLicense license)
    {
        ArgumentNullException.ThrowIfNull(license);
        string family = Base(license, out Known? known);
        string name = (known?.ShortName ?? family) + (OrLater(license) ? "+" : string.Empty);
        if (license.Exception is { } exception)
        {
            name += $" with {s_exceptionKeywords.GetValueOrDefault(exception, exception)} exception";
        }

        return name;
    }

    /// <summary>
    /// One stand-alone paragraph per distinct short name in <paramref name="expression"/>, in order of first use.
    /// <paramref name="sourceDirectory"/> is where the package installs the sources, e.g. /usr/src/foo-1.0.
    /// </summary>
    public static IReadOnlyList<Paragraph> Paragraphs(SpdxExpression expression, string sourceDirectory)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var paragraphs = new List<Paragraph>();
        foreach (SpdxLicense license in expression.Licenses)
        {
            string name = ShortName(license);
            if (!paragraphs.Exists(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                paragraphs.Add(new Paragraph(name, Text(license, sourceDirectory)));
            }
        }

        return paragraphs;
    }

    private static string Text(SpdxLicense license, string sourceDirectory)
    {
        var paragraphs = new List<string>();
        string family = Base(license, out Known? known);
        if (known?.CommonLicense is { } common)
        {
            paragraphs.Add((OrLater(license)
                    ? $"The module may be used under {known.Name}, or (at your option) any later version."
                    : $"The module may be used under {known.Name}.")
                + $" On Debian systems, the complete text of {known.Name} is in {CommonLicenses}/{common}.");
        }
        else
        {
            // Not "The terms of <id>…": lintian matches licence names inside License texts (a GPL-like LicenseRef
            // would read as a GPL text that fails to point at common-licenses).
            string what = known is not null ? known.Name : "this licence";
            string where = IsReference(family) ? "." : $", and at {SpdxUrl(family)}.";
            paragraphs.Add($"Debian does not ship the text of {what} in {CommonLicenses}; its terms are in the module's source files, installed in {sourceDirectory}/{where}");
        }

        if (license.Exception is { } exception)
        {
            paragraphs.Add(IsReference(exception)
                ? $"The module's source files state the additional permission ({exception}) that applies."
                : $"The {exception} exception applies in addition; its text is in the module's source files and at {SpdxUrl(exception)}.");
        }

        return TemplateFunctions.Deb822Continuation(string.Join("\n\n", paragraphs));
    }

    private static string SpdxUrl(string id) => $"https://spdx.org/licenses/{id}.html";

    private static bool IsReference(string id) => id.Contains("Ref-", StringComparison.Ordinal);

    /// <summary>The identifier without -only/-or-later for GNU licences, and its table entry if any.</summary>
    private static string Base(SpdxLicense license, out Known? known)
    {
        string family = SpdxIdentifiers.GnuFamily(license.Id, out _) ?? license.Id;
        known = s_known.GetValueOrDefault(family);
        return family;
    }

    private static bool OrLater(SpdxLicense license) =>
        license.OrLater || (SpdxIdentifiers.GnuFamily(license.Id, out bool orLater) is not null && orLater);

    /// <summary>
    /// The expression in a shape copyright-format can write: an OR of ANDs of licences ("A or B and C"), or an AND
    /// of such ORs joined with ", and" ("A or B, and C"). Anything deeper becomes its conjunctive normal form (an
    /// AND of ORs), which says the same, without repeated or absorbed clauses.
    /// </summary>
    private static SpdxExpression Dep5Form(SpdxExpression expression)
    {
        if (IsOrOfAnds(expression) || (expression is SpdxCompound { Operator: SpdxOperator.And } conjunction && conjunction.Operands.All(IsOrOfAnds)))
        {
            return expression;
        }

        List<List<SpdxLicense>> clauses = Clauses(expression);
        clauses.RemoveAll(c => clauses.Exists(other => !ReferenceEquals(other, c) && other.Count < c.Count && other.All(c.Contains)));
        return SpdxExpression.AllOf(clauses.Select(c => SpdxExpression.AnyOf(c)));
    }

    private static bool IsOrOfAnds(SpdxExpression expression) => expression switch
    {
        SpdxLicense => true,
        SpdxCompound { Operator: SpdxOperator.And } all => all.Operands.All(o => o is SpdxLicense),
        SpdxCompound any => any.Operands.All(o => o is SpdxLicense || (o is SpdxCompound inner && inner.Operands.All(i => i is SpdxLicense))),
        _ => false,
    };

    /// <summary>The conjunctive normal form: a list of clauses, each a choice (OR) of licences, all of which apply (AND).</summary>
    private static List<List<SpdxLicense>> Clauses(SpdxExpression expression)
    {
        switch (expression)
        {
            case SpdxLicense license:
                return [[license]];
            case SpdxCompound { Operator: SpdxOperator.And } all:
                return Distinct(all.Operands.SelectMany(Clauses));
            case SpdxCompound any:
                // (A AND B) OR (C AND D) = (A OR C) AND (A OR D) AND (B OR C) AND (B OR D).
                List<List<SpdxLicense>> product = [[]];
                foreach (SpdxExpression operand in any.Operands)
                {
                    product = Distinct(product.SelectMany(left => Clauses(operand).Select(right => left.Concat(right).Distinct().ToList())));
                    if (product.Count > MaxClauses)
                    {
                        throw DkmsPackException.Input(null, $"the licence \"{expression}\" is too intricate for a Debian copyright file (more than {MaxClauses.ToString(CultureInfo.InvariantCulture)} alternatives once written as copyright-format's AND of ORs)", $"pass a simpler {OptionRef.To("license")}");
                    }
                }

                return product;
            default:
                throw new ArgumentException("unknown expression", nameof(expression));
        }
    }

    private static List<List<SpdxLicense>> Distinct(IEnumerable<List<SpdxLicense>> clauses)
    {
        var result = new List<List<SpdxLicense>>();
        foreach (List<SpdxLicense> clause in clauses)
        {
            if (!result.Exists(r => r.Count == clause.Count && r.All(clause.Contains)))
            {
                result.Add(clause);
            }
        }

        return result;
    }

    /// <summary>Writes a <see cref="Dep5Form"/>: "and" binds tighter than "or", and a comma before "and" binds loosest.</summary>
    private static string Render(SpdxExpression expression) => expression switch
    {
        SpdxLicense license => ShortName(license),
        SpdxCompound { Operator: SpdxOperator.And } all when all.Operands.All(o => o is SpdxLicense) => string.Join(" and ", all.Operands.Select(Render)),
        SpdxCompound { Operator: SpdxOperator.And } all => string.Join(", and ", all.Operands.Select(Render)),
        SpdxCompound any => string.Join(" or ", any.Operands.Select(Render)),
        _ => throw new ArgumentException("unknown expression", nameof(expression)),
    };

    private sealed record Known(string ShortName, string? CommonLicense, string Name);
}
