using DkmsPack.Tests.Support;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// The machine's dnf (Debian's package) with an empty --installroot, its own reposdir and cache, so it reads file://
/// repositories without touching the machine. Scriptlets are off (tsflags=noscripts): the root has no DKMS.
/// </summary>
internal sealed class HostDnf : IDisposable
{
    private readonly TempDirectory _directory = new();

    public HostDnf()
    {
        RealTool.Require("dnf");
        Directory.CreateDirectory(_directory.Combine("repos.d"));
        Directory.CreateDirectory(_directory.Combine("root"));
    }

    public string Root => _directory.Combine("root");

    /// <summary>Adds a repository file (a .repo written by dkmspack, or any text).</summary>
    public void AddRepo(string name, string text) => File.WriteAllText(_directory.Combine("repos.d", name + ".repo"), text);

    /// <summary>
    /// A repository with gpgcheck off that stands in for the distribution: it serves the stub rpm that provides
    /// what the module's rpm requires (dkms, /bin/sh).
    /// </summary>
    public void AddBase(string directory) => AddRepo("base", $"[base]\nname=base\nbaseurl={new Uri(directory).AbsoluteUri}\ngpgcheck=0\nrepo_gpgcheck=0\n");

    public (int ExitCode, string Output) Run(params string[] args)
    {
        (int exitCode, string stdOut, string stdErr) = RealTool.Run("dnf", [
            "-y", "--installroot=" + Root, "--setopt=reposdir=" + _directory.Combine("repos.d"), "--setopt=cachedir=" + _directory.Combine("cache"),
            "--releasever=12", "--setopt=tsflags=noscripts", "--nodocs", "--setopt=install_weak_deps=False", .. args]);
        return (exitCode, stdOut + stdErr);
    }

    public string RunChecked(params string[] args)
    {
        (int exitCode, string output) = Run(args);
        Xunit.Assert.True(exitCode == 0, $"dnf {string.Join(' ', args)} exited {exitCode}: {output}");
        return output;
    }

    /// <summary>Every version of <paramref name="package"/> the enabled repositories offer (dnf repoquery --show-duplicates), sorted.</summary>
    public List<string> Versions(string package, params string[] repoOptions) =>
        [.. RunChecked([.. repoOptions, "repoquery", "--show-duplicates", "--queryformat", "%{version}-%{release}", package]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9][^ ]*-[^ ]+$")).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The installed version in the root, as rpm says.</summary>
    public string Installed(string package) => RealTool.RunChecked("rpm", "--root", Root, "-q", "--queryformat", "%{VERSION}-%{RELEASE}", package);

    public void Dispose() => _directory.Dispose();
}
