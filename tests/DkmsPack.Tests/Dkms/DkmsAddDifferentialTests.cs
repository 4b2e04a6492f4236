using DkmsPack.Dkms;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Dkms;

/// <summary>
/// The installed DKMS judges each fixture shape: <c>dkms add</c> into a private DKMS tree (--sourcetree, --dkmstree, so
/// nothing on the machine changes) must accept exactly the shapes dkmspack accepts, unless the file needs a newer DKMS that
/// older releases refuse (<see cref="DkmsFeatures"/>' Debian column), and reject the rest, unless DKMS started rejecting
/// the shape after this release. That checks the verdicts and the version table against a real DKMS, whichever release
/// the machine has.
/// </summary>
public class DkmsAddDifferentialTests
{
    public static TheoryData<string> Shapes() => [.. DkmsUpstreamShapes.All.Select(shape => shape.Name)];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DkmsAdd_UpstreamShape_AgreesWithDkmspackAndTheVersionTable(string name)
    {
        RealTool.Require("dkms");
        string installed = InstalledDkmsVersion();
        DkmsUpstreamShapes.Shape shape = DkmsUpstreamShapes.Named(name);
        using var work = new TempDirectory();
        string version = "2.0";
        string moduleName = PackageNameOf(shape) ?? "shape_unnamed";
        string tree = Path.Combine(work.Path, "src", $"{moduleName}-{version}");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), shape.Text);
        foreach ((string path, bool executable) in shape.TreeFiles)
        {
            string file = Path.Combine(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, executable ? "#!/bin/sh\nexit 0\n" : "\n");
            if (executable)
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.CreateDirectory(Path.Combine(work.Path, "dkms"));
        bool expected = shape.DkmsAccepts
            ? DkmsUpstreamShapeTests.TryRead(shape, out _) && !NeedsNewerToBeAccepted(DkmsConfTesting.Read(shape.Text, probe: _ => TreeFileKind.File), installed)
            : shape.RejectedSince is { } since && !DkmsFeatures.Satisfies(installed, since);
        var dkms = RealTool.Run(
            "dkms", "add", "-m", moduleName, "-v", version,
            "--sourcetree", Path.Combine(work.Path, "src"), "--dkmstree", Path.Combine(work.Path, "dkms"));

        Assert.True(
            (dkms.ExitCode == 0) == expected,
            $"{name}: dkms {installed} add exited {dkms.ExitCode}, dkmspack expects it to {(expected ? "accept" : "reject")}: {dkms.StdOut}{dkms.StdErr}");
    }

    // A feature an older DKMS ignores does not make it refuse the file; one it rejects (zero modules) does.
    private static bool NeedsNewerToBeAccepted(DkmsConf conf, string installed) =>
        DkmsFeatures.For(conf.Features).Any(requirement => requirement.OlderRejects && !DkmsFeatures.Satisfies(installed, requirement.Debian));

    private static string? PackageNameOf(DkmsUpstreamShapes.Shape shape) =>
        shape.Text.Split('\n').Select(line => line.TrimEnd('\r')).FirstOrDefault(line => line.StartsWith("PACKAGE_NAME=\"", StringComparison.Ordinal))?[14..^1];

    // dpkg-query gives the Debian version (3.0.10-8+deb12u1), which the table's Debian column is written against.
    private static string InstalledDkmsVersion()
    {
        var query = RealTool.Run("dpkg-query", "-W", "-f", "${Version}", "dkms");
        return query.ExitCode == 0 && query.StdOut.Length > 0
            ? query.StdOut.Trim()
            : RealTool.RunChecked("dkms", "--version").Trim().Replace("dkms-", string.Empty, StringComparison.Ordinal);
    }
}
