using System.Text;
using DkmsPack.Licensing;
using DkmsPack.Packaging;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Corpus;

/// <summary>
/// Every module tree under tests/corpus packaged by the real CLI (mkdeb and mkrpm) and judged by lintian (binary
/// package, and the copyright file's DEP-5 checks through a source package), rpmlint and the tree's own
/// corpus.expect; then every licence a kernel module can declare (each MODULE_LICENSE string of
/// include/linux/license.h, the SPDX tags of the kernel's LICENSES/ folders), each in a generated tree.
/// Adding a directory to tests/corpus adds a case (tests/corpus/README.md).
/// </summary>
public sealed class CorpusTests : IDisposable
{
    private const string Maintainer = "Corpus Test <corpus@example.org>";

    /// <summary>
    /// SPDX-License-Identifier values as the kernel tree writes them (the LICENSES/preferred, dual, deprecated and
    /// exceptions identifiers, alone and in the combinations drivers use), with the normalised expression.
    /// </summary>
    private static readonly (string Tag, string Normalised)[] s_kernelTags =
    [
        ("GPL-2.0", "GPL-2.0-only"),
        ("GPL-2.0-only", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("GPL-2.0-or-later", "GPL-2.0-or-later"),
        ("GPL-2.0 WITH Linux-syscall-note", "GPL-2.0-only WITH Linux-syscall-note"),
        ("GPL-2.0+ WITH Linux-syscall-note", "GPL-2.0-or-later WITH Linux-syscall-note"),
        ("GPL-2.0-only WITH Linux-syscall-note", "GPL-2.0-only WITH Linux-syscall-note"),
        ("((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)", "GPL-2.0-only WITH Linux-syscall-note OR BSD-3-Clause"),
        ("((GPL-2.0 WITH Linux-syscall-note) OR Linux-OpenIB)", "GPL-2.0-only WITH Linux-syscall-note OR Linux-OpenIB"),
        ("(GPL-2.0 WITH Linux-syscall-note) OR MIT", "GPL-2.0-only WITH Linux-syscall-note OR MIT"),
        ("(GPL-2.0 OR BSD-2-Clause)", "GPL-2.0-only OR BSD-2-Clause"),
        ("GPL-2.0 OR BSD-3-Clause", "GPL-2.0-only OR BSD-3-Clause"),
        ("GPL-2.0 OR MIT", "GPL-2.0-only OR MIT"),
        ("(GPL-2.0+ OR MIT)", "GPL-2.0-or-later OR MIT"),
        ("GPL-2.0-or-later OR BSD-2-Clause", "GPL-2.0-or-later OR BSD-2-Clause"),
        ("GPL-2.0 OR Linux-OpenIB", "GPL-2.0-only OR Linux-OpenIB"),
        ("GPL-2.0 OR Linux-OpenIB OR BSD-2-Clause", "GPL-2.0-only OR Linux-OpenIB OR BSD-2-Clause"),
        ("GPL-2.0 OR MPL-1.1", "GPL-2.0-only OR MPL-1.1"),
        ("GPL-2.0 OR Apache-2.0", "GPL-2.0-only OR Apache-2.0"),
        ("GPL-2.0 OR CDDL-1.0", "GPL-2.0-only OR CDDL-1.0"),
        ("GPL-2.0 OR copyleft-next-0.3.1", "GPL-2.0-only OR copyleft-next-0.3.1"),
        ("GPL-2.0 OR X11", "GPL-2.0-only OR X11"),
        ("GPL-2.0+ WITH GCC-exception-2.0", "GPL-2.0-or-later WITH GCC-exception-2.0"),
        ("GPL-1.0+", "GPL-1.0-or-later"),
        ("LGPL-2.0", "LGPL-2.0-only"),
        ("LGPL-2.0+", "LGPL-2.0-or-later"),
        ("LGPL-2.1", "LGPL-2.1-only"),
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("LGPL-2.1-or-later", "LGPL-2.1-or-later"),
        ("LGPL-2.1 OR BSD-2-Clause", "LGPL-2.1-only OR BSD-2-Clause"),
        ("MIT", "MIT"),
        ("BSD-2-Clause", "BSD-2-Clause"),
        ("BSD-3-Clause", "BSD-3-Clause"),
        ("BSD-3-Clause-Clear", "BSD-3-Clause-Clear"),
        ("ISC", "ISC"),
        ("Zlib", "Zlib"),
        ("0BSD", "0BSD"),
        ("MPL-1.1", "MPL-1.1"),
        ("GPL-2.0 AND MIT", "GPL-2.0-only AND MIT"),
    ];

    /// <summary>license.h's strings and what dkmspack writes for each (docs/licences.md says why).</summary>
    private static readonly (string ModuleLicense, string Spdx)[] s_moduleLicenses =
    [
        ("GPL", "GPL-2.0-only"),
        ("GPL v2", "GPL-2.0-only"),
        ("GPL and additional rights", "GPL-2.0-only"),
        ("Dual BSD/GPL", "GPL-2.0-only OR BSD-3-Clause"),
        ("Dual MIT/GPL", "GPL-2.0-only OR MIT"),
        ("Dual MPL/GPL", "GPL-2.0-only OR MPL-1.1"),
    ];

    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Trees()
    {
        var trees = new TheoryData<string>();
        foreach (string directory in Directory.EnumerateDirectories(CorpusRoot).Order(StringComparer.Ordinal))
        {
            trees.Add(Path.GetFileName(directory));
        }

        return trees;
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Trees))]
    public void CorpusTree_PackagesWithMkdebAndMkrpm_AndLintsClean(string name)
    {
        string tree = Path.Combine(CorpusRoot, name);
        CorpusExpectations expected = CorpusExpectations.Read(tree);

        var packaged = new Dictionary<string, string>();
        foreach (string command in (string[])["mkdeb", "mkrpm"])
        {
            string output = _temp.Combine(command);
            DkmsPackProcess.Result run = DkmsPackProcess.Run(
                [command, tree, "-o", output, "--maintainer", Maintainer, "--exclude", CorpusExpectations.FileName, .. expected.Arguments],
                new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
            string context = $"{name}: dkmspack {command} exited {run.ExitCode}\n{run.StdErr}";
            Assert.True(run.ExitCode == expected.ExitCode, context);
            AssertDiagnostics(run.StdErr, "warning", expected.Warnings, context);
            AssertDiagnostics(run.StdErr, "error", expected.Errors, context);
            if (run.ExitCode == 0)
            {
                packaged[command] = Path.GetFullPath(run.StdOut.Trim());
            }
        }

        if (expected.ExitCode != 0)
        {
            return;
        }

        Judged judged = Judge([new Candidate(name, packaged["mkdeb"], packaged["mkrpm"], expected.LintianAllowed, expected.RpmlintAllowed)]).Single();
        if (expected.License is { } license)
        {
            Assert.Equal(license, judged.RpmLicense);
        }

        if (expected.DebianLicense is { } debianLicense)
        {
            Assert.Equal(debianLicense, judged.FilesField("License"));
        }

        if (expected.Copyright is { } copyright)
        {
            Assert.Equal(copyright, judged.FilesField("Copyright"));
        }
    }

    [Fact]
    public void EveryModuleLicenseString_PackagesCleanly_FromTheEndOfALargeFile()
    {
        Assert.Equal(s_moduleLicenses.Select(m => m.ModuleLicense), ModuleLicense.FreeStrings);
        var candidates = new List<Candidate>();
        for (int i = 0; i < s_moduleLicenses.Length; i++)
        {
            // A 70 KiB source with MODULE_LICENSE on its last line: past the part read whole, found in the tail.
            string tree = GeneratedTree($"corpus-modlic-{i}", spdxTag: null, $"MODULE_LICENSE(\"{s_moduleLicenses[i].ModuleLicense}\");\r\n", padding: 70 * 1024);
            candidates.Add(Build(tree, $"corpus-modlic-{i}"));
        }

        IReadOnlyList<Judged> judged = Judge(candidates);
        Assert.Equal(s_moduleLicenses.Select(m => m.Spdx), judged.Select(j => j.RpmLicense));
    }

    [Fact]
    public void EveryKernelSpdxTag_PackagesCleanly()
    {
        var candidates = new List<Candidate>();
        var licenses = new List<string>();
        for (int i = 0; i < s_kernelTags.Length; i++)
        {
            string tree = GeneratedTree($"corpus-spdx-{i}", s_kernelTags[i].Tag, "MODULE_LICENSE(\"GPL\");\n", padding: 0);
            Candidate candidate = Build(tree, $"corpus-spdx-{i}");
            licenses.Add(RealTool.RunChecked("rpm", "-qp", "--qf", "%{LICENSE}", candidate.Rpm));
            candidates.Add(candidate);
        }

        Assert.Equal(s_kernelTags.Select(t => t.Normalised), licenses);
        // Tags that normalise alike (GPL-2.0, GPL-2.0-only) give the same packages but for their names: lint one of each.
        Judge([.. candidates.Where((_, i) => licenses.IndexOf(licenses[i]) == i)]);
    }

    [Fact]
    public void IntricateLicenseOptions_WriteCopyrightFilesLintianAccepts()
    {
        string[] licenses =
        [
            "(MIT AND (ISC OR Zlib)) OR GPL-2.0-only",
            "LicenseRef-Vendor-Terms OR GPL-2.0-or-later",
            "GPL-3.0-or-later WITH Font-exception-2.0",
            "AGPL-3.0-only AND Apache-2.0 AND MPL-2.0 AND CC0-1.0",
            "LGPL-3.0-or-later OR GPL-3.0-only OR LGPL-2.0-or-later",
            "EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0",
            "GPL-2.0-only WITH AdditionRef-Vendor-Note OR BSD-4-Clause",
            "(GPL-2.0-only OR MIT) AND (LGPL-2.1-only OR BSD-2-Clause) AND Unlicense",
        ];
        string tree = GeneratedTree("corpus-options", spdxTag: null, "MODULE_LICENSE(\"GPL\");\n", padding: 0);

        List<Judged> judged = Judge([.. licenses.Select((license, i) => Build(tree, $"corpus-options-{i}", license))]);

        Assert.Equal(licenses, judged.Select(j => j.RpmLicense));
        Assert.Equal("Expat or GPL-2, and ISC or Zlib or GPL-2", judged[0].FilesField("License"));
    }

    [Theory]
    [InlineData("Proprietary", "names no licence terms that a package could state")]
    [InlineData("GPL v2 only", "is not one the kernel knows")]
    [InlineData("BSD", "is not one the kernel knows")]
    public void ModuleLicenseWithoutTerms_WarnsWithFileAndLine_AsksForLicense_AndPackagesWithOne(string moduleLicense, string warning)
    {
        string tree = GeneratedTree("corpus-no-terms", spdxTag: null, $"MODULE_LICENSE(\"{moduleLicense}\");\n", padding: 0);

        DkmsPackProcess.Result refused = DkmsPackProcess.Run(["mkdeb", tree, "-o", _temp.Combine("refused"), "--maintainer", Maintainer]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{Path.Combine(tree, "main.c")}:10: warning: MODULE_LICENSE(\"{moduleLicense}\") {warning}", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("error: cannot tell the module's licence", refused.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", refused.StdErr, StringComparison.Ordinal);

        Judged judged = Judge([Build(tree, "corpus-no-terms", "LicenseRef-Proprietary")]).Single();
        Assert.Equal("LicenseRef-Proprietary", judged.RpmLicense);
        Assert.Equal("LicenseRef-Proprietary", judged.FilesField("License"));
    }

    private static string CorpusRoot => Path.Combine(Repo.Root, "tests", "corpus");

    private static void AssertDiagnostics(string stderr, string severity, List<string> expected, string context)
    {
        string[] lines = [.. stderr.Split('\n').Where(l => l.Contains($": {severity}: ", StringComparison.Ordinal))];
        foreach (string text in expected)
        {
            Assert.True(lines.Any(l => l.Contains(text, StringComparison.Ordinal)), $"no {severity} containing \"{text}\"; {context}");
        }

        // Every warning must be one the tree expects: noise is a defect too.
        if (severity == "warning")
        {
            Assert.All(lines, l => Assert.True(expected.Exists(e => l.Contains(e, StringComparison.Ordinal)), $"unexpected warning \"{l}\"; {context}"));
        }
    }

    /// <summary>A one-module tree: dkms.conf, Makefile, a header and main.c (tag on line 1, the licence line last: line 10 when there is no tag or padding).</summary>
    private string GeneratedTree(string packageName, string? spdxTag, string licenseLine, int padding)
    {
        string tree = _temp.Combine("trees", packageName);
        Directory.CreateDirectory(tree);
        string module = packageName.Replace('-', '_');
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), $"PACKAGE_NAME=\"{packageName}\"\nPACKAGE_VERSION=\"1.0\"\nBUILT_MODULE_NAME[0]=\"{module}\"\nDEST_MODULE_LOCATION[0]=\"/updates/dkms\"\nAUTOINSTALL=\"yes\"\n");
        File.WriteAllText(Path.Combine(tree, "Makefile"), $"obj-m := {module}.o\n{module}-objs := main.o\n");
        File.WriteAllText(Path.Combine(tree, "main.h"), (spdxTag is null ? string.Empty : $"/* SPDX-License-Identifier: {spdxTag} */\n") + "int corpus_helper(void);\n");
        var source = new StringBuilder();
        source.Append(spdxTag is null ? "/*\n" : $"// SPDX-License-Identifier: {spdxTag}\n/*\n");
        source.Append(" * A generated corpus tree.\n *\n * Copyright (C) 2026 Corpus Example <corpus@example.org>\n */\n#include <linux/module.h>\n#include \"main.h\"\n");
        source.Append("static int __init corpus_init(void) { return 0; }\nmodule_init(corpus_init);\n");
        while (source.Length < padding)
        {
            source.Append("static const int corpus_table_").Append(source.Length).Append("[] = { 1, 2, 3, 4, 5, 6, 7, 8 };\n");
        }

        source.Append(licenseLine);
        File.WriteAllText(Path.Combine(tree, "main.c"), source.ToString());
        return tree;
    }

    /// <summary>Both packages of <paramref name="tree"/>, in process (the engine under the CLI).</summary>
    private Candidate Build(string tree, string name, string? license = null)
    {
        BuildRequest request = TestBuilds.Request(tree, _temp.Combine("out", name)) with { Maintainer = Maintainer, License = license };
        BuildOutcome outcome = PackageBuild.Run(request, PackageFormats.Select(["deb", "rpm"]), DateTimeOffset.UnixEpoch);
        Assert.Empty(outcome.Warnings);
        return new Candidate(name, outcome.Packages.Single(p => p.Format == "deb").Path, outcome.Packages.Single(p => p.Format == "rpm").Path, [], []);
    }

    /// <summary>Runs every judge once over the batch and asserts each candidate's findings; returns what the tests compare.</summary>
    private List<Judged> Judge(IReadOnlyList<Candidate> candidates)
    {
        string dpkgDeb = RealTool.Require("dpkg-deb");
        var judged = new List<Judged>();
        var copyrights = new Dictionary<string, string>();
        foreach (Candidate candidate in candidates)
        {
            string debName = RealTool.RunChecked(dpkgDeb, "-f", candidate.Deb, "Package").Trim();
            string extracted = Directory.CreateDirectory(_temp.Combine("x", candidate.Name)).FullName;
            RealTool.RunChecked(dpkgDeb, "-x", candidate.Deb, extracted);
            string copyright = File.ReadAllText(Path.Combine(extracted, "usr", "share", "doc", debName, "copyright"));
            string rpmName = RealTool.RunChecked("rpm", "-qp", "--qf", "%{NAME}", candidate.Rpm);
            string rpmLicense = RealTool.RunChecked("rpm", "-qp", "--qf", "%{LICENSE}", candidate.Rpm);
            copyrights["dep5-" + candidate.Name.ToLowerInvariant()] = copyright;
            judged.Add(new Judged(candidate, debName, rpmName, rpmLicense, copyright));
        }

        IReadOnlyList<LintFinding> lintian = PackageJudges.LintianBinary([.. candidates.Select(c => c.Deb)]);
        IReadOnlyList<LintFinding> dep5 = PackageJudges.LintianDep5(copyrights, Directory.CreateDirectory(_temp.Combine("dep5", Guid.NewGuid().ToString("N"))).FullName);
        IReadOnlyList<LintFinding> rpmlint = PackageJudges.Rpmlint([.. candidates.Select(c => c.Rpm)]);
        var failures = new List<string>();
        foreach (Judged one in judged)
        {
            Candidate c = one.Candidate;
            failures.AddRange(PackageJudges.UnexpectedLintian(lintian.Where(f => f.Package == one.DebName), c.LintianAllowed).Select(f => $"{c.Name}: lintian: {f.Line}"));
            failures.AddRange(dep5.Where(f => f.Package == "dep5-" + c.Name.ToLowerInvariant()).Select(f => $"{c.Name}: lintian (debian/copyright as DEP-5): {f.Line}\n{one.Copyright}"));
            failures.AddRange(PackageJudges.UnexpectedRpmlint(rpmlint.Where(f => f.Package == one.RpmName), c.RpmlintAllowed).Select(f => $"{c.Name}: rpmlint: {f.Line}"));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        return judged;
    }

    private sealed record Candidate(string Name, string Deb, string Rpm, IReadOnlyList<string> LintianAllowed, IReadOnlyList<string> RpmlintAllowed);

    private sealed record Judged(Candidate Candidate, string DebName, string RpmName, string RpmLicense, string Copyright)
    {
        /// <summary>A field's first line in the copyright file's Files: * paragraph.</summary>
        public string FilesField(string field)
        {
            string paragraph = Copyright.Split("\n\n").Single(p => p.StartsWith("Files: *\n", StringComparison.Ordinal));
            return paragraph.Split('\n').Single(l => l.StartsWith(field + ": ", StringComparison.Ordinal))[(field.Length + 2)..];
        }
    }
}
