using DkmsPack.Licensing;
using Xunit;

namespace DkmsPack.Tests.Licensing;

/// <summary>SPDX expressions as copyright-format 1.0 writes them (its section 7, "License specification").</summary>
public sealed class DebianLicenseTests
{
    [Theory]
    [InlineData("GPL-2.0-only", "GPL-2")]
    [InlineData("GPL-2.0+", "GPL-2+")]
    [InlineData("GPL-3.0-or-later", "GPL-3+")]
    [InlineData("GPL-1.0+", "GPL-1+")]
    [InlineData("LGPL-2.0", "LGPL-2")]
    [InlineData("LGPL-2.1-or-later", "LGPL-2.1+")]
    [InlineData("LGPL-3.0-only", "LGPL-3")]
    [InlineData("AGPL-3.0-or-later", "AGPL-3+")]
    [InlineData("MIT", "Expat")]
    [InlineData("BSD-2-Clause", "BSD-2-clause")]
    [InlineData("BSD-3-Clause", "BSD-3-clause")]
    [InlineData("MPL-1.1", "MPL-1.1")]
    [InlineData("MPL-1.1+", "MPL-1.1+")]
    [InlineData("Apache-2.0", "Apache-2.0")]
    [InlineData("Linux-OpenIB", "Linux-OpenIB")]
    [InlineData("LicenseRef-Vendor", "LicenseRef-Vendor")]
    [InlineData("GPL-2.0 WITH Linux-syscall-note", "GPL-2 with Linux-syscall-note exception")]
    [InlineData("GPL-3.0+ WITH Font-exception-2.0", "GPL-3+ with Font exception")]
    // "and" binds tighter than "or"; a comma before "and" binds loosest (section 7.2, "Syntax").
    [InlineData("GPL-2.0 OR MIT", "GPL-2 or Expat")]
    [InlineData("GPL-2.0 AND MIT", "GPL-2 and Expat")]
    [InlineData("MIT OR (GPL-2.0 AND BSD-3-Clause)", "Expat or GPL-2 and BSD-3-clause")]
    [InlineData("GPL-2.0 AND (GPL-2.0 OR MIT)", "GPL-2, and GPL-2 or Expat")]
    [InlineData("(MIT OR ISC) AND (GPL-2.0 OR BSD-2-Clause) AND Zlib", "Expat or ISC, and GPL-2 or BSD-2-clause, and Zlib")]
    [InlineData("(MIT AND ISC OR Zlib) AND GPL-2.0", "Expat and ISC or Zlib, and GPL-2")]
    // Deeper than copyright-format can write: its AND of ORs (conjunctive normal form), absorbed clauses dropped.
    [InlineData("(MIT AND (ISC OR Zlib)) OR GPL-2.0", "Expat or GPL-2, and ISC or Zlib or GPL-2")]
    [InlineData("(MIT AND (ISC OR Zlib)) OR MIT", "Expat")]
    public void ShortNames_WriteTheExpressionAsCopyrightFormatDoes(string spdx, string debian)
    {
        Assert.Equal(debian, DebianLicense.ShortNames(SpdxExpression.Parse(spdx)));
    }

    [Fact]
    public void Paragraphs_OnePerShortName_PointingAtCommonLicensesOnlyWhereDebianShipsTheText()
    {
        IReadOnlyList<DebianLicense.Paragraph> paragraphs = DebianLicense.Paragraphs(
            SpdxExpression.Parse("GPL-2.0-only AND (GPL-2.0 OR BSD-3-Clause) AND GPL-2.0+ AND GPL-2.0 WITH Linux-syscall-note AND LicenseRef-Vendor"),
            "/usr/src/x-1.0");

        Assert.Equal(["GPL-2", "BSD-3-clause", "GPL-2+", "GPL-2 with Linux-syscall-note exception", "LicenseRef-Vendor"], paragraphs.Select(p => p.Name));
        Assert.All(paragraphs, p => Assert.All(p.Text.Split('\n'), line => Assert.StartsWith(" ", line, StringComparison.Ordinal)));
        Assert.Contains("/usr/share/common-licenses/GPL-2.", paragraphs[0].Text, StringComparison.Ordinal);
        Assert.Contains("any later version", paragraphs[2].Text, StringComparison.Ordinal);
        Assert.Contains("/usr/share/common-licenses/GPL-2.", paragraphs[3].Text, StringComparison.Ordinal);
        Assert.Contains(" .\n", paragraphs[3].Text, StringComparison.Ordinal);
        Assert.Contains("https://spdx.org/licenses/Linux-syscall-note.html", paragraphs[3].Text, StringComparison.Ordinal);
        // common-licenses/BSD is the University of California's text, deprecated as a reference since Policy 3.8.5.
        Assert.DoesNotContain("/usr/share/common-licenses/BSD", paragraphs[1].Text, StringComparison.Ordinal);
        Assert.Contains("/usr/src/x-1.0/", paragraphs[1].Text, StringComparison.Ordinal);
        Assert.Contains("https://spdx.org/licenses/BSD-3-Clause.html", paragraphs[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("spdx.org", paragraphs[4].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Vendor", paragraphs[4].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommonLicensesFileNamed_IsOneThisDebianShips()
    {
        const string directory = "/usr/share/common-licenses";
        if (!Directory.Exists(directory))
        {
            Assert.Skip("no /usr/share/common-licenses (not a Debian system)");
        }

        foreach ((string spdx, string _, string? common) in DebianLicense.Table)
        {
            if (common is not null)
            {
                Assert.True(File.Exists(Path.Combine(directory, common)), $"{spdx}: {directory}/{common} is missing");
                string text = DebianLicense.Paragraphs(SpdxExpression.Parse(SpdxIdentifiers.GnuFamily(spdx, out _) is null ? spdx : spdx + "-only"), "/usr/src/x-1").Single().Text;
                Assert.Contains($"{directory}/{common}.", text, StringComparison.Ordinal);
            }
        }

        // And no licence Debian ships is written as "terms in the sources" where a pointer would do.
        foreach (string shipped in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>())
        {
            if (shipped is "GPL" or "LGPL" or "GFDL" or "BSD" or "Artistic")
            {
                continue; // versionless links, the deprecated BSD text, and Perl's Artistic (no SPDX expression names it alone)
            }

            Assert.Contains(DebianLicense.Table, t => t.CommonLicense == shipped);
        }
    }

    [Fact]
    public void ShortNames_RefusesAnExpressionTooIntricateToWrite_AsUnusableInput()
    {
        // Each operand is two clauses once written as an AND of ORs; eight of them give 2^8.
        string eight = string.Join(" OR ", Enumerable.Range(0, 8).Select(i => $"(LicenseRef-A{i} AND (LicenseRef-B{i} OR LicenseRef-C{i}))"));

        var error = Assert.Throws<DkmsPack.Diagnostics.DkmsPackException>(() => DebianLicense.ShortNames(SpdxExpression.Parse(eight)));
        Assert.Equal(DkmsPack.Diagnostics.ExitCode.InvalidInput, error.ExitCode);
        Assert.Contains("too intricate for a Debian copyright file", error.Message, StringComparison.Ordinal);
    }
}
