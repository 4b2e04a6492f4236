using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Project;

/// <summary>[[changelog]] tables in dkmspack.toml, rendered into changelog.Debian.gz and %changelog, read back by the real tools.</summary>
public sealed class InlineChangelogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Entries_ReachBothFormats_NewestFirst_WithTheMaintainerAsDefaultAuthor()
    {
        RealTool.Require("dpkg-parsechangelog");
        RealTool.Require("rpm");
        string tree = _temp.CopyTree(Repo.Example(GreeterExample.Name), "greeter");
        File.WriteAllText(Path.Combine(tree, "dkmspack.toml"), """
            maintainer = "Jane Doe <jane@example.org>"

            [[changelog]]
            version = "0.1-1"
            date = 2026-11-30
            changes = ["Second release.", "A long item\nwith a second line."]

            [[changelog]]
            version = "0.0.9-2"
            date = 2026-10-01T08:30:00Z
            author = "Max Mustermann <max@example.org>"
            urgency = "low"
            changes = ["First package."]
            """);
        string output = _temp.Combine("out");
        var result = DkmsPackProcess.Run(["build", tree, "-o", output, "-q"], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);

        string changelog = _temp.Combine("changelog");
        RealTool.RunChecked("sh", "-c", $"dpkg-deb --fsys-tarfile '{output}/greeter-dkms_0.1-1_all.deb' | tar -xO ./usr/share/doc/greeter-dkms/changelog.Debian.gz | gzip -dc > '{changelog}'");
        string parsed = RealTool.RunChecked("dpkg-parsechangelog", "-l", changelog, "--all", "--format", "rfc822");
        Assert.Equal(
            ["Version: 0.1-1", "Maintainer: Jane Doe <jane@example.org>", "Date: Mon, 30 Nov 2026 12:00:00 +0000", "Version: 0.0.9-2", "Urgency: low", "Maintainer: Max Mustermann <max@example.org>", "Date: Thu, 01 Oct 2026 08:30:00 +0000"],
            parsed.Split('\n').Where(l => l.StartsWith("Version:", StringComparison.Ordinal) || l.StartsWith("Maintainer:", StringComparison.Ordinal) || l.StartsWith("Date:", StringComparison.Ordinal) || l == "Urgency: low"));
        Assert.Contains("    with a second line.", File.ReadAllText(changelog), StringComparison.Ordinal);

        string rpm = RealTool.RunChecked("rpm", "-qp", "--changelog", Path.Combine(output, "greeter-dkms-0.1-1.noarch.rpm"));
        Assert.Equal(
            "* Mon Nov 30 2026 Jane Doe <jane@example.org> - 0.1-1\n- Second release.\n- A long item\n  with a second line.\n\n* Thu Oct 01 2026 Max Mustermann <max@example.org> - 0.0.9-2\n- First package.\n\n",
            rpm);
    }
}
