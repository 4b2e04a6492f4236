using System.Text.RegularExpressions;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Corpus;

/// <summary>One finding of lintian or rpmlint: its package, severity letter (E, W, I) and tag.</summary>
internal sealed record LintFinding(string Package, char Severity, string Tag, string Line);

/// <summary>
/// lintian and rpmlint as the judges of many packages at once: one run of each over a batch, findings attributed
/// to their package. The tolerated findings are the ones the README documents (section "lintian and rpmlint"),
/// as DebPackageTests and RpmPackageTests judge the examples.
/// </summary>
internal static partial class PackageJudges
{
    /// <summary>lintian warnings every dkmspack .deb gets; the README says why.</summary>
    public static readonly string[] DocumentedLintianWarnings = ["initial-upload-closes-no-bugs"];

    /// <summary>rpmlint warnings every dkmspack .rpm gets (no-url-tag: without --homepage; invalid-license-exception: with a WITH exception); the README says why.</summary>
    public static readonly string[] DocumentedRpmlintWarnings = ["no-documentation", "invalid-license", "invalid-license-exception", "devel-file-in-non-devel-package", "no-url-tag"];

    /// <summary>Packages per lintian run: a run must end within RealTool's minute, also on a loaded machine.</summary>
    private const int BatchSize = 6;

    /// <summary>lintian on binary packages, as the example tests run it: every E: and W: finding.</summary>
    public static IReadOnlyList<LintFinding> LintianBinary(IReadOnlyCollection<string> debs)
    {
        string lintian = RealTool.Require("lintian");
        var findings = new List<LintFinding>();
        foreach (string[] batch in debs.Chunk(BatchSize))
        {
            var result = RealTool.Run(lintian, ["--no-cfg", "--fail-on", "error,warning", .. batch]);
            Assert.True(result.ExitCode is 0 or 2, $"lintian exited {result.ExitCode}: {result.StdErr}");
            Assert.DoesNotContain("No packages selected", result.StdOut + result.StdErr, StringComparison.Ordinal);
            findings.AddRange(Lintian(result.StdOut));
        }

        return findings;
    }

    /// <summary>
    /// lintian's machine-readable copyright checks (Lintian::Check::Debian::Copyright::Dep5) run on source packages
    /// only, so each copyright file becomes debian/copyright of a small native source package, built with
    /// dpkg-source. Returns, per name in <paramref name="copyrights"/>, the findings about copyright and licences.
    /// </summary>
    public static IReadOnlyList<LintFinding> LintianDep5(IReadOnlyDictionary<string, string> copyrights, string workDirectory)
    {
        string lintian = RealTool.Require("lintian");
        string dpkgSource = RealTool.Require("dpkg-source");
        // A copyright file lintian must fault goes into every run: clean output then means "checked", not "skipped".
        const string canary = "dep5-canary";
        string canaryDsc = string.Empty;
        var dscs = new List<string>();
        foreach ((string name, string copyright) in copyrights.Append(new(canary, "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2026 Corpus Test\nLicense: GPL-2\n")))
        {
            string tree = Path.Combine(workDirectory, $"{name}-1.0");
            Directory.CreateDirectory(Path.Combine(tree, "debian", "source"));
            File.WriteAllText(Path.Combine(tree, "debian", "copyright"), copyright);
            File.WriteAllText(Path.Combine(tree, "debian", "source", "format"), "3.0 (native)\n");
            File.WriteAllText(Path.Combine(tree, "debian", "control"), $"Source: {name}\nSection: kernel\nPriority: optional\nMaintainer: Corpus Test <corpus@example.org>\nBuild-Depends: debhelper-compat (= 13)\nStandards-Version: 4.6.2\nRules-Requires-Root: no\n\nPackage: {name}\nArchitecture: all\nDepends: ${{misc:Depends}}\nDescription: copyright file under test\n A source package that only carries a copyright file for lintian.\n");
            File.WriteAllText(Path.Combine(tree, "debian", "changelog"), $"{name} (1.0) unstable; urgency=medium\n\n  * Carries a copyright file under test.\n\n -- Corpus Test <corpus@example.org>  Thu, 01 Jan 2026 00:00:00 +0000\n");
            File.WriteAllText(Path.Combine(tree, "debian", "rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
            File.SetUnixFileMode(Path.Combine(tree, "debian", "rules"), (UnixFileMode)0b111_101_101);
            File.WriteAllText(Path.Combine(tree, "module.c"), "/* Copyright (C) 2026 Corpus Test */\n");
            RealTool.RunChecked(new RealToolOptions(WorkingDirectory: workDirectory), dpkgSource, "-b", $"{name}-1.0");
            string dsc = Path.Combine(workDirectory, $"{name}_1.0.dsc");
            if (name == canary)
            {
                canaryDsc = dsc;
            }
            else
            {
                dscs.Add(dsc);
            }
        }

        var findings = new List<LintFinding>();
        foreach (string[] batch in dscs.Chunk(BatchSize))
        {
            var result = RealTool.Run(lintian, ["--no-cfg", "-I", .. batch, canaryDsc]);
            Assert.True(result.ExitCode is 0 or 2, $"lintian exited {result.ExitCode}: {result.StdErr}");
            List<LintFinding> found = Lintian(result.StdOut);
            Assert.Contains(found, f => f.Package == canary && f.Tag == "missing-license-paragraph-in-dep5-copyright");
            findings.AddRange(found.Where(f => f.Package != canary && CopyrightTag().IsMatch(f.Tag)));
        }

        return findings;
    }

    /// <summary>rpmlint over a batch: every E: and W: finding, attributed by package name.</summary>
    public static IReadOnlyList<LintFinding> Rpmlint(IReadOnlyCollection<string> rpms)
    {
        var result = RealTool.Run(RealTool.Require("rpmlint"), [.. rpms]);
        Assert.Contains("packages and 0 specfiles checked", result.StdOut, StringComparison.Ordinal);
        var findings = new List<LintFinding>();
        foreach (string line in result.StdOut.Split('\n'))
        {
            Match match = RpmlintLine().Match(line);
            if (match.Success)
            {
                findings.Add(new LintFinding(match.Groups["package"].Value, match.Groups["severity"].Value[0], match.Groups["tag"].Value, line));
            }
        }

        return findings;
    }

    /// <summary>The findings that are not tolerated: lintian E: always; W: unless documented or in <paramref name="allowed"/>.</summary>
    public static IEnumerable<LintFinding> UnexpectedLintian(IEnumerable<LintFinding> findings, IEnumerable<string> allowed) =>
        findings.Where(f => !(f.Severity == 'W' && (DocumentedLintianWarnings.Contains(f.Tag) || allowed.Contains(f.Tag))) && !(f.Severity == 'E' && allowed.Contains(f.Tag)));

    /// <summary>The findings that are not tolerated: rpmlint E: other than no-signature; W: unless documented; either unless in <paramref name="allowed"/>.</summary>
    public static IEnumerable<LintFinding> UnexpectedRpmlint(IEnumerable<LintFinding> findings, IEnumerable<string> allowed) =>
        findings.Where(f => !allowed.Contains(f.Tag) && !(f.Severity == 'E' && f.Tag == "no-signature") && !(f.Severity == 'W' && DocumentedRpmlintWarnings.Contains(f.Tag)));

    private static List<LintFinding> Lintian(string output)
    {
        var findings = new List<LintFinding>();
        foreach (string line in output.Split('\n'))
        {
            Match match = LintianLine().Match(line);
            if (match.Success)
            {
                findings.Add(new LintFinding(match.Groups["package"].Value, match.Groups["severity"].Value[0], match.Groups["tag"].Value, line));
            }
        }

        return findings;
    }

    [GeneratedRegex(@"^(?<severity>[EWI]): (?<package>[^ :]+)(?: source)?: (?<tag>\S+)")]
    private static partial Regex LintianLine();

    [GeneratedRegex(@"^(?<package>[^ :]+)\.noarch: (?<severity>[EW]): (?<tag>\S+)")]
    private static partial Regex RpmlintLine();

    [GeneratedRegex("copyright|dep5|licen[cs]e", RegexOptions.IgnoreCase)]
    private static partial Regex CopyrightTag();
}
