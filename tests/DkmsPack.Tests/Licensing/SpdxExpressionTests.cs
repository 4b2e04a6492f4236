using DkmsPack.Licensing;
using Xunit;

namespace DkmsPack.Tests.Licensing;

/// <summary>The SPDX expression parser against the spec's grammar (annex "SPDX license expressions").</summary>
public sealed class SpdxExpressionTests
{
    [Theory]
    // AND binds tighter than OR; brackets regroup; WITH binds tightest.
    [InlineData("MIT OR GPL-2.0-only AND BSD-3-Clause", "MIT OR (GPL-2.0-only AND BSD-3-Clause)")]
    [InlineData("MIT AND GPL-2.0-only OR BSD-3-Clause", "(MIT AND GPL-2.0-only) OR BSD-3-Clause")]
    [InlineData("(MIT OR BSD-2-Clause) AND GPL-2.0-only", "(MIT OR BSD-2-Clause) AND GPL-2.0-only")]
    [InlineData("((MIT))", "MIT")]
    [InlineData("GPL-2.0-only WITH Linux-syscall-note OR MIT", "GPL-2.0-only WITH Linux-syscall-note OR MIT")]
    [InlineData("((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)", "GPL-2.0-only WITH Linux-syscall-note OR BSD-3-Clause")]
    // One operator nested in itself is flattened; repeated operands appear once.
    [InlineData("MIT AND (BSD-2-Clause AND ISC)", "MIT AND BSD-2-Clause AND ISC")]
    [InlineData("(MIT OR ISC) OR (ISC OR Zlib)", "MIT OR ISC OR Zlib")]
    [InlineData("MIT OR MIT", "MIT")]
    [InlineData("GPL-2.0 AND GPL-2.0-only", "GPL-2.0-only")]
    // The legacy GNU identifiers and "+", in any case; operators all upper or all lower case.
    [InlineData("GPL-2.0", "GPL-2.0-only")]
    [InlineData("GPL-2.0+", "GPL-2.0-or-later")]
    [InlineData("LGPL-2.1+", "LGPL-2.1-or-later")]
    [InlineData("LGPL-2.0", "LGPL-2.0-only")]
    [InlineData("GPL-1.0+", "GPL-1.0-or-later")]
    [InlineData("gpl-3.0-or-later", "GPL-3.0-or-later")]
    [InlineData("GPL-2.0-only+", "GPL-2.0-or-later")]
    [InlineData("gpl-2.0 or mit", "GPL-2.0-only OR MIT")]
    [InlineData("bsd-3-clause and isc", "BSD-3-Clause AND ISC")]
    [InlineData("gpl-2.0 with linux-syscall-note", "GPL-2.0-only WITH Linux-syscall-note")]
    [InlineData("MPL-1.1+", "MPL-1.1+")]
    // References and unknown identifiers stay as written.
    [InlineData("LicenseRef-Vendor-Terms.2", "LicenseRef-Vendor-Terms.2")]
    [InlineData("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")]
    [InlineData("GPL-2.0 WITH AdditionRef-Vendor-Note", "GPL-2.0-only WITH AdditionRef-Vendor-Note")]
    [InlineData("licenseref-vendor", "LicenseRef-vendor")]
    [InlineData("Made-Up-License-1.0", "Made-Up-License-1.0")]
    [InlineData("  MIT\t", "MIT")]
    public void Parse_NormalisesToCanonicalText(string text, string canonical)
    {
        Assert.Equal(canonical, SpdxExpression.Parse(text).ToString());
        // The canonical text reads back as itself.
        Assert.Equal(canonical, SpdxExpression.Parse(canonical).ToString());
    }

    [Fact]
    public void Parse_BuildsTheTreePrecedenceSays()
    {
        var or = Assert.IsType<SpdxCompound>(SpdxExpression.Parse("GPL-2.0 WITH Linux-syscall-note OR MIT AND ISC"));
        Assert.Equal(SpdxOperator.Or, or.Operator);
        var license = Assert.IsType<SpdxLicense>(or.Operands[0]);
        Assert.Equal(("GPL-2.0-only", "Linux-syscall-note"), (license.Id, license.Exception));
        var and = Assert.IsType<SpdxCompound>(or.Operands[1]);
        Assert.Equal(SpdxOperator.And, and.Operator);
        Assert.Equal(["MIT", "ISC"], and.Operands.Select(o => o.ToString()));
    }

    [Fact]
    public void AllOf_AndsTheTags_FlattenedWithoutRepeats()
    {
        SpdxExpression[] tags = [.. ((string[])["GPL-2.0", "GPL-2.0 OR MIT", "GPL-2.0-only", "(GPL-2.0 OR MIT)", "BSD-3-Clause AND GPL-2.0"]).Select(SpdxExpression.Parse)];

        Assert.Equal("GPL-2.0-only AND (GPL-2.0-only OR MIT) AND BSD-3-Clause", SpdxExpression.AllOf(tags).ToString());
        Assert.Equal("MIT", SpdxExpression.AllOf([SpdxExpression.Parse("MIT")]).ToString());
    }

    [Fact]
    public void Licenses_AreEachNamedOnce_AndUnknownIdentifiersAreMarked()
    {
        SpdxExpression expression = SpdxExpression.Parse("(GPL-2.0 OR Mde-Up) AND (GPL-2.0-only OR LicenseRef-X) AND GPL-2.0 WITH Linux-syscall-note");

        Assert.Equal(["GPL-2.0-only", "Mde-Up", "LicenseRef-X", "GPL-2.0-only WITH Linux-syscall-note"], expression.Licenses.Select(l => l.ToString()));
        Assert.Equal(["Mde-Up"], expression.Licenses.Where(l => !l.IsKnown).Select(l => l.Id));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("(MIT", "has a '(' that is never closed (column 1)")]
    [InlineData("MIT)", "has a ')' without a matching '(' (column 4)")]
    [InlineData("()", "has ')' where a licence was expected (column 2)")]
    [InlineData("MIT AND", "ends where a licence was expected")]
    [InlineData("OR MIT", "has OR where a licence was expected (column 1)")]
    [InlineData("MIT BSD-2-Clause", "has \"BSD-2-Clause\" where AND, OR or the end was expected (column 5)")]
    [InlineData("(MIT ISC)", "has \"ISC\" where AND, OR or ')' was expected (column 6)")]
    [InlineData("MIT And ISC", "has \"And\" at column 5; SPDX operators are all upper or all lower case: write AND or and")]
    [InlineData("GPL-2.0 With Linux-syscall-note", "has \"With\" at column 9; SPDX operators are all upper or all lower case: write WITH or with")]
    [InlineData("GPL-2.0 WITH", "has WITH without a licence exception after it (e.g. GPL-2.0-only WITH Linux-syscall-note)")]
    [InlineData("Linux-syscall-note", "has the exception Linux-syscall-note used as a licence; write it after WITH (e.g. GPL-2.0-only WITH Linux-syscall-note) (column 1)")]
    [InlineData("GPL-2.0 WITH MIT", "has the licence MIT after WITH, where an exception belongs; join two licences with AND or OR (column 14)")]
    [InlineData("(MIT OR ISC) WITH Linux-syscall-note", "has WITH after a bracket; an exception applies to one licence: write (A WITH X) OR B (column 14)")]
    [InlineData("Dual MIT/GPL", "has '/' at column 9, which no SPDX expression holds (identifiers use letters, digits, '.' and '-'; operators AND, OR, WITH; brackets)")]
    [InlineData("GPL-2.0++", "has \"GPL-2.0++\", which is not a licence identifier ('+' may only end one) (column 1)")]
    [InlineData("LicenseRef-", "has \"LicenseRef-\", which is not a licence reference (LicenseRef-NAME or DocumentRef-DOC:LicenseRef-NAME) (column 1)")]
    [InlineData("MIT:ISC", "has \"MIT:ISC\"; ':' only separates DocumentRef-x:LicenseRef-y (column 1)")]
    [InlineData("LicenseRef-X+", "has \"LicenseRef-X+\"; a LicenseRef cannot take '+' (column 1)")]
    [InlineData("MIT\r", "has 'U+000D' at column 4, which no SPDX expression holds (identifiers use letters, digits, '.' and '-'; operators AND, OR, WITH; brackets)")]
    public void Parse_RefusesWhatIsNotAnExpression_SayingWhereAndWhy(string text, string message)
    {
        var error = Assert.Throws<SpdxSyntaxException>(() => SpdxExpression.Parse(text));
        Assert.Equal(message, error.Message);
        Assert.False(SpdxExpression.TryParse(text, out SpdxExpression? expression, out string? reason));
        Assert.Null(expression);
        Assert.Equal(message, reason);
    }

    [Fact]
    public void Parse_RefusesHostileSizes_Quickly()
    {
        Assert.Equal("nests brackets deeper than 32 levels (column 33)", Assert.Throws<SpdxSyntaxException>(() => SpdxExpression.Parse(new string('(', 40) + "MIT" + new string(')', 40))).Message);
        Assert.Equal("is longer than 4096 characters", Assert.Throws<SpdxSyntaxException>(() => SpdxExpression.Parse(string.Join(" OR ", Enumerable.Repeat("MIT", 2000)))).Message);
        Assert.Equal("MIT", SpdxExpression.Parse(string.Join(" OR ", Enumerable.Repeat("MIT", 500))).ToString());
    }
}
