using DkmsPack.Tests.Support;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// The machine's own apt, pointed at a private root (its own sources, lists, cache and an empty dpkg status) with
/// -o options, so that it reads a file:// repository without a chroot and without touching the machine's apt.
/// </summary>
internal sealed class HostApt : IDisposable
{
    private readonly TempDirectory _root = new();

    public HostApt()
    {
        RealTool.Require("apt-get");
        foreach (string directory in (string[])["etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "etc/apt/trusted.gpg.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg"])
        {
            Directory.CreateDirectory(_root.Combine(directory));
        }

        File.WriteAllText(_root.Combine("var/lib/dpkg/status"), string.Empty);
    }

    /// <summary>Adds a deb822 source: the repository's own NAME.sources, its Signed-By pointed at <paramref name="keyring"/>.</summary>
    public void AddSource(string sourcesFile, string? keyring)
    {
        string text = File.ReadAllText(sourcesFile);
        if (keyring is not null)
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, "^Signed-By: .*$", "Signed-By: " + keyring, System.Text.RegularExpressions.RegexOptions.Multiline);
        }

        File.WriteAllText(_root.Combine("etc/apt/sources.list.d", Path.GetFileName(sourcesFile)), text);
    }

    /// <summary>The options that make apt use the private root, and nothing of the machine's configuration.</summary>
    public string[] Options =>
    [
        "-o", "Dir=" + _root.Path,
        "-o", "Dir::Etc::TrustedParts=" + _root.Combine("etc/apt/trusted.gpg.d"),
        "-o", "Dir::State::status=" + _root.Combine("var/lib/dpkg/status"),
        "-o", "APT::Architecture=amd64",
        "-o", "APT::Architectures=amd64",
        "-o", "Debug::NoLocking=1",
        "-o", "APT::Sandbox::User=root",
    ];

    public (int ExitCode, string StdOut, string StdErr) Update() => RealTool.Run("apt-get", [.. Options, "update"]);

    /// <summary>apt-get update, which must succeed without a warning or error line.</summary>
    public void AssertCleanUpdate()
    {
        (int exitCode, string stdOut, string stdErr) = Update();
        Xunit.Assert.True(exitCode == 0, $"apt-get update exited {exitCode}: {stdOut}{stdErr}");
        Xunit.Assert.DoesNotContain("W:", stdOut + stdErr, StringComparison.Ordinal);
        Xunit.Assert.DoesNotContain("E:", stdOut + stdErr, StringComparison.Ordinal);
    }

    /// <summary>The versions of <paramref name="package"/> apt knows (apt-cache madison), newest first.</summary>
    public List<string> Versions(string package) =>
        [.. RealTool.RunChecked("apt-cache", [.. Options, "madison", package]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')[1].Trim())];

    /// <summary>Downloads a package as apt-get download does (hash and size checked against the index); returns the file.</summary>
    public (int ExitCode, string Output) Download(string package, string directory)
    {
        (int exitCode, string stdOut, string stdErr) = RealTool.Run(new RealToolOptions(WorkingDirectory: directory), "apt-get", [.. Options, "download", package]);
        return (exitCode, stdOut + stdErr);
    }

    public void Dispose() => _root.Dispose();
}
