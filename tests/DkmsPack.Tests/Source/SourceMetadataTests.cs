using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Packaging;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Source;

/// <summary>
/// Licences and copyright holders read from the tree: cleaned, and never a command-line failure (a warning and
/// a fallback instead); what the user types stays exit 1 when it is wrong.
/// </summary>
public sealed class SourceMetadataTests : ModuleTreeTest
{
    private string Source => Path.Combine(Tree, "apple-gmux.c");

    [Fact]
    public void CrlfSourcesWithSeveralHolders_PackageWithCleanHolders()
    {
        File.WriteAllText(Source, File.ReadAllText(Source).Replace(" * Copyright (C) 2026 dkmspack contributors\n", " * Copyright (C) 2019 Alice <alice@example.org>\n * Copyright (c) 2020\tBob <bob@example.org>,\n", StringComparison.Ordinal).ReplaceLineEndings("\r\n"));
        File.WriteAllText(Path.Combine(Tree, "extra.h"), "/* SPDX-License-Identifier: GPL-2.0-only */\r\n/* Copyright (C) 2020 Bob <bob@example.org> */\r\n/* Copyright (C) 2021 Carol\u001b[31m \u202eExample */\r\n");

        var result = Build();

        Assert.Equal("2019 Alice <alice@example.org>; 2020 Bob <bob@example.org>; 2021 Carol [31m Example", result.Spec.Copyright);
        Assert.Equal("GPL-2.0-only", result.Spec.License);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void CrlfTree_ThroughTheCli_ExitsZero_WhereItUsedToFailOnCopyright()
    {
        File.WriteAllText(Source, File.ReadAllText(Source).ReplaceLineEndings("\r\n"));

        var run = TreeTestSupport.Package("mkdeb", Tree, Output);

        TreeTestSupport.AssertOnePackage(run, Output);
        Assert.DoesNotContain("copyright", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Latin1Holder_IsReadAsLatin1()
    {
        File.WriteAllBytes(Path.Combine(Tree, "old.h"), [.. Encoding.ASCII.GetBytes("/* Copyright (C) 1999 J"), 0xF6, .. Encoding.ASCII.GetBytes("rg Example */\n")]);

        Assert.Contains("1999 Jörg Example", Build().Spec.Copyright, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeFile_IsReadAtItsTail_WithAUtf8CharacterCutByTheTailsStart()
    {
        // The tail read is the last 8 KiB; "€" (3 bytes) starts one byte before it, so the tail opens mid-character.
        string ending = "\n// Copyright (C) 2020 Jörg Example\nMODULE_LICENSE(\"Dual MIT/GPL\");\n";
        string suffix = new string('/', 8190 - Encoding.UTF8.GetByteCount(ending)) + ending;
        string head = "/* a large generated table */\n" + string.Concat(Enumerable.Repeat("static const int big_table_entry = 1;\n", 2000));
        string large = Path.Combine(Tree, "large.c");
        File.WriteAllText(large, head + "/€" + suffix);
        Assert.True(new FileInfo(large).Length > 64 * 1024);
        DropMakefileTag();
        File.WriteAllText(Source, File.ReadAllText(Source).Replace("// SPDX-License-Identifier: GPL-2.0-only\n", string.Empty, StringComparison.Ordinal).Replace("MODULE_LICENSE(\"GPL\");", string.Empty, StringComparison.Ordinal));

        var result = Build();

        Assert.Contains("2020 Jörg Example", result.Spec.Copyright, StringComparison.Ordinal);
        Assert.Equal("GPL-2.0-only OR MIT", result.Spec.License);
    }

    [Fact]
    public void NoHolderFound_FallsBackToTheMaintainer_WithTheBuildYear()
    {
        File.WriteAllText(Source, File.ReadAllText(Source).Replace(" * Copyright (C) 2026 dkmspack contributors\n", string.Empty, StringComparison.Ordinal));

        Assert.Equal("2026 Tree Test <tree@example.org>", Build().Spec.Copyright);
    }

    [Fact]
    public void ManyHolders_AreCappedWithAMention()
    {
        File.WriteAllText(Path.Combine(Tree, "many.h"), string.Concat(Enumerable.Range(0, 12).Select(i => $"// Copyright (C) 20{i:00} Holder {i}\n")));

        string copyright = Build().Spec.Copyright;
        Assert.EndsWith("; and others (see the source files)", copyright, StringComparison.Ordinal);
        Assert.Equal(9, copyright.Split("; ").Length);
    }

    [Fact]
    public void BadSpdxTag_IsAWarningWithFileAndLine_AndModuleLicenseStillGivesTheLicence()
    {
        DropMakefileTag();
        File.WriteAllText(Source, File.ReadAllText(Source).Replace("// SPDX-License-Identifier: GPL-2.0-only", "// SPDX-License-Identifier: GPL-2.0 OR", StringComparison.Ordinal));

        var result = Build();

        Diagnostic warning = Assert.Single(result.Warnings);
        Assert.Equal((Source, 1), (warning.File, warning.Line));
        Assert.Equal("SPDX-License-Identifier \"GPL-2.0 OR\" ends where a licence was expected, so it is left out of the package's licence", warning.Message);
        Assert.Equal("GPL-2.0-only", result.Spec.License);
    }

    [Fact]
    public void UnknownSpdxIdentifier_IsAWarning_AndKeptAsWritten()
    {
        DropMakefileTag();
        File.WriteAllText(Source, File.ReadAllText(Source).Replace("GPL-2.0-only", "GPL2", StringComparison.Ordinal));

        var result = Build();

        Assert.Equal("GPL2", result.Spec.License);
        Assert.Contains(result.Warnings, w => w.Line == 1 && w.Message.Contains("\"GPL2\", which is not an SPDX licence identifier dkmspack knows", StringComparison.Ordinal));
    }

    [Fact]
    public void TagInAClosedComment_AndTagsBelowTheHeader()
    {
        DropMakefileTag();
        File.WriteAllText(Source, "/* SPDX-License-Identifier: MIT */\n" + string.Concat(Enumerable.Repeat("/* */\n", 10)) + "/* SPDX-License-Identifier: BSD-3-Clause (text about tags, not a tag) */\n");

        Assert.Equal("MIT", Build().Spec.License);
    }

    [Fact]
    public void ProprietaryModuleLicense_WarnsAndExitsTwo_NotAsACommandLineError()
    {
        DropMakefileTag();
        File.WriteAllText(Source, File.ReadAllText(Source).Replace("// SPDX-License-Identifier: GPL-2.0-only\n", string.Empty, StringComparison.Ordinal).Replace("MODULE_LICENSE(\"GPL\")", "MODULE_LICENSE(\"Proprietary\")", StringComparison.Ordinal));

        var error = Assert.Throws<DkmsPackException>(() => Build());

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Contains(error.Diagnostics, d => !d.IsError && d.Line == 36 && d.Message.StartsWith("MODULE_LICENSE(\"Proprietary\")", StringComparison.Ordinal));
        Assert.Contains(error.Diagnostics, d => d.IsError && d.Message.StartsWith("cannot tell the module's licence", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenLicense_IsNormalised_AndSilencesWhatTheSourcesSay()
    {
        File.WriteAllText(Source, File.ReadAllText(Source).Replace("GPL-2.0-only", "GPL-2.0 OR", StringComparison.Ordinal));

        var result = Build(r => r with { License = "gpl-2.0+ or mit" });

        Assert.Equal("GPL-2.0-or-later OR MIT", result.Spec.License);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("GPL-2.0 OR", "--license \"GPL-2.0 OR\" ends where a licence was expected")]
    [InlineData("GPL v2", "--license \"GPL v2\" has \"v2\" where AND, OR or the end was expected (column 5)")]
    [InlineData("MIT\nX-Injected: 1", "--license \"MIT X-Injected: 1\" has 'U+000A' at column 4")]
    public void BadGivenLicense_IsACommandLineError(string license, string message)
    {
        var error = Assert.Throws<DkmsPackException>(() => Build(r => r with { License = license }));

        Assert.Equal(ExitCode.InvalidOptions, error.ExitCode);
        Assert.StartsWith(message, error.Diagnostics.Single().ToString()["dkmspack: error: ".Length..], StringComparison.Ordinal);
    }

    [Fact]
    public void BadGivenCopyright_StaysACommandLineError()
    {
        var error = Assert.Throws<DkmsPackException>(() => Build(r => r with { Copyright = "2026 Jane\rX-Injected: 1" }));

        Assert.Equal(ExitCode.InvalidOptions, error.ExitCode);
        Assert.Contains("--copyright", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownGivenIdentifier_IsAWarning()
    {
        var result = Build(r => r with { License = "Vendor-EULA-2" });

        Assert.Equal("Vendor-EULA-2", result.Spec.License);
        Assert.Contains(result.Warnings, w => w.Message.Contains("names \"Vendor-EULA-2\", which is not an SPDX licence identifier dkmspack knows", StringComparison.Ordinal));
    }

    /// <summary>The example's Makefile has its own SPDX tag, which the package's licence includes; these tests look at the source's alone.</summary>
    private void DropMakefileTag()
    {
        string makefile = Path.Combine(Tree, "Makefile");
        File.WriteAllText(makefile, File.ReadAllText(makefile).Replace("# SPDX-License-Identifier: GPL-2.0-only\n", string.Empty, StringComparison.Ordinal));
    }

    private SpecBuilder.Result Build(Func<BuildRequest, BuildRequest>? change = null)
    {
        BuildRequest request = TestBuilds.Request(Tree, Output) with { Maintainer = TreeTestSupport.Maintainer };
        return SpecBuilder.Build(change is null ? request : change(request), DateTimeOffset.UnixEpoch);
    }
}
