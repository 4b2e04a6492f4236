using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Pipeline;

/// <summary>The packaged dkms.conf is the content dkmspack read and validated, a regular file, whatever it was in the tree.</summary>
public sealed class DkmsConfShippingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASymlinkedDkmsConf_IsShippedAsItsContent_RewrittenByVersion(bool placeholder)
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        string conf = File.ReadAllText(Path.Combine(tree, "dkms.conf"));
        if (placeholder)
        {
            conf = conf.Replace("PACKAGE_VERSION=\"0.1\"", "PACKAGE_VERSION=\"#VERSION#\"", StringComparison.Ordinal);
        }

        Directory.CreateDirectory(Path.Combine(tree, "packaging"));
        File.WriteAllText(Path.Combine(tree, "packaging", "dkms.conf.real"), conf);
        File.Delete(Path.Combine(tree, "dkms.conf"));
        File.CreateSymbolicLink(Path.Combine(tree, "dkms.conf"), "packaging/dkms.conf.real");
        string output = _temp.Combine("dist");

        string[] version = placeholder ? ["--version", "0.1"] : [];
        var result = DkmsPackProcess.Run(["build", tree, "-o", output, .. version, "--maintainer", "T <t@example.org>"], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);

        string expected = placeholder ? conf.Replace("#VERSION#", "0.1", StringComparison.Ordinal) : conf;
        string deb = Directory.GetFiles(output, "*.deb").Single();
        string listing = RealTool.RunChecked("dpkg-deb", "-c", deb);
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("-rw-r--r--", StringComparison.Ordinal) && l.EndsWith("./usr/src/apple-gmux-0.1/dkms.conf", StringComparison.Ordinal));
        string extracted = _temp.Combine("x");
        RealTool.RunChecked("dpkg-deb", "-x", deb, extracted);
        Assert.Equal(expected, File.ReadAllText(Path.Combine(extracted, "usr/src/apple-gmux-0.1/dkms.conf")));
        string modes = RealTool.RunChecked("rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILENAMES}\n]", Directory.GetFiles(output, "*.rpm").Single());
        Assert.Contains("-rw-r--r-- /usr/src/apple-gmux-0.1/dkms.conf", modes, StringComparison.Ordinal);
    }
}
