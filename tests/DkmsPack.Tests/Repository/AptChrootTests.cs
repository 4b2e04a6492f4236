using System.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// The issue's end-to-end check in a Debian 12 chroot (debootstrap, kept in <see cref="CacheDirectory"/> and
/// reused; each test runs in an overlay over it, so the cached root is never changed). The repository is
/// bind-mounted read-only at /srv/repo and added as a deb822 source with Signed-By the generated key; the
/// chroot's own Debian sources are removed, so apt reads only it. The chroot has dkms and the headers of its
/// own kernel (linux-headers-amd64), so the package's scripts really build the module with DKMS for that
/// kernel: the test checks `dkms status` says installed. Every mount is undone in finally, pass or fail.
/// Slow (a few minutes the first time): opt in with DKMSPACK_E2E=1.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class AptChrootTests(RepositoryFixture fixture) : IClassFixture<RepositoryFixture>
{
    public const string CacheDirectory = "/var/cache/dkmspack-repo/bookworm";

    private const string Package = RepositoryFixture.PackageName;

    [Fact]
    public void Bookworm_InstallsFromTheRepository_UpgradesTo02_AndRefusesTamperedOrUnsignedOnes()
    {
        SystemPackages.RequireOptIn();
        if (Environment.UserName != "root")
        {
            SystemPackages.SkipOrFail("a chroot needs root");
        }

        RealTool.Require("debootstrap");
        string root = PrepareCachedRoot();
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        var aptTests = new AptRepositoryTests(fixture);
        aptTests.Publish(repo, [fixture.Deb("0.1")]);

        var mounts = new Stack<string>();
        try
        {
            string merged = temp.Combine("merged");
            foreach (string directory in (string[])["upper", "work", "merged"])
            {
                Directory.CreateDirectory(temp.Combine(directory));
            }

            Mount(mounts, merged, "-t", "overlay", "overlay", "-o", $"lowerdir={root},upperdir={temp.Combine("upper")},workdir={temp.Combine("work")}");
            Mount(mounts, Path.Combine(merged, "proc"), "-t", "proc", "proc");
            string served = Path.Combine(merged, "srv/repo");
            Directory.CreateDirectory(served);
            Mount(mounts, served, "--bind", "-o", "ro", repo);
            RealTool.RunChecked("mount", "-o", "remount,bind,ro", served);

            // Only our source; the key where the README tells users to put it.
            File.Delete(Path.Combine(merged, "etc/apt/sources.list"));
            Directory.CreateDirectory(Path.Combine(merged, "etc/apt/keyrings"));
            File.Copy(Path.Combine(repo, RepositoryFixture.ModuleName + ".gpg"), Path.Combine(merged, "etc/apt/keyrings", RepositoryFixture.ModuleName + ".gpg"));
            string sources = Path.Combine(merged, "etc/apt/sources.list.d", RepositoryFixture.ModuleName + ".sources");
            File.WriteAllText(sources, File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".sources")).Replace(new Uri(repo).AbsoluteUri, "file:///srv/repo", StringComparison.Ordinal));
            Assert.Contains("URIs: file:///srv/repo\n", File.ReadAllText(sources), StringComparison.Ordinal);

            AssertCleanUpdate(merged);
            InChroot(merged, "apt-get", "install", "-y", "--no-install-recommends", Package).AssertOk("apt-get install");
            Assert.Equal("0.1-1", InChroot(merged, "dpkg-query", "-W", "-f=${Version}", Package).StdOut);
            // The chroot's kernel: the one whose headers linux-headers-amd64 brought (its build link is absolute, so it is looked up inside the chroot).
            string kernel = Directory.EnumerateDirectories(Path.Combine(merged, "lib/modules")).Select(Path.GetFileName).OfType<string>()
                .Single(k => Directory.Exists(Path.Combine(merged, "usr/src", "linux-headers-" + k)));
            Assert.Matches($"{RepositoryFixture.ModuleName}/0.1, {kernel}, x86_64: installed", InChroot(merged, "dkms", "status", RepositoryFixture.ModuleName).StdOut);

            // A second run adds 0.2; apt-get upgrade moves to it.
            aptTests.Publish(repo, [fixture.Deb("0.2")]);
            AssertCleanUpdate(merged);
            InChroot(merged, "apt-get", "upgrade", "-y").AssertOk("apt-get upgrade");
            Assert.Equal("0.2-1", InChroot(merged, "dpkg-query", "-W", "-f=${Version}", Package).StdOut);
            Assert.Matches($"{RepositoryFixture.ModuleName}/0.2, {kernel}, x86_64: installed", InChroot(merged, "dkms", "status", RepositoryFixture.ModuleName).StdOut);

            // A hand-edited Packages (and its copies) is a hash error; an unsigned repository is refused. The
            // lists apt has are dropped first: with an unchanged InRelease it would not fetch Packages again.
            TamperPackages(repo);
            InChroot(merged, "sh", "-c", "rm -rf /var/lib/apt/lists/*").AssertOk("rm lists");
            (int tampered, string tamperedOut, string tamperedErr) = InChroot(merged, "apt-get", "update");
            Assert.NotEqual(0, tampered);
            Assert.Matches("Hash Sum mismatch|unexpected size", tamperedOut + tamperedErr);

            string unsigned = Path.Combine(merged, "srv/unsigned");
            DkmsPack.Repository.Apt.AptRepository.Publish(new DkmsPack.Repository.Apt.AptRepositoryRequest { RepositoryDirectory = unsigned, Packages = [fixture.Deb("0.1")], SourceDateEpoch = RepositoryFixture.Epoch }, DateTimeOffset.UnixEpoch);
            File.WriteAllText(sources, $"Types: deb\nURIs: file:///srv/unsigned\nSuites: stable\nComponents: main\nSigned-By: /etc/apt/keyrings/{RepositoryFixture.ModuleName}.gpg\n");
            (int refused, string refusedOut, string refusedErr) = InChroot(merged, "apt-get", "update");
            Assert.NotEqual(0, refused);
            Assert.Contains("is not signed", refusedOut + refusedErr, StringComparison.Ordinal);

            InChroot(merged, "apt-get", "purge", "-y", Package).AssertOk("apt-get purge");
        }
        finally
        {
            while (mounts.TryPop(out string? target))
            {
                if (RealTool.Run("umount", target).ExitCode != 0)
                {
                    RealTool.Run("umount", "--lazy", target);
                }
            }
        }
    }

    /// <summary>The release matrix's cached bookworm root (tests/matrix/run): the same debootstrap with dkms and headers.</summary>
    private const string MatrixCache = "/var/cache/dkmspack-matrix/bookworm";

    /// <summary>
    /// A cached Debian 12 root with dkms and the headers of its kernel: the release matrix's when it has made one
    /// (only read: it is the overlay's lower layer), else ours, made by debootstrap when missing.
    /// </summary>
    private static string PrepareCachedRoot()
    {
        if (File.Exists(Path.Combine(MatrixCache, "complete")))
        {
            return Path.Combine(MatrixCache, "root");
        }

        string root = Path.Combine(CacheDirectory, "root");
        string complete = Path.Combine(CacheDirectory, "complete");
        if (File.Exists(complete))
        {
            return root;
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(CacheDirectory);
        (int exitCode, string output) = LongRun(TimeSpan.FromMinutes(20), "debootstrap", "--variant=minbase", "--include=dkms,linux-headers-amd64,kmod", "bookworm", root, "http://deb.debian.org/debian");
        if (exitCode != 0)
        {
            SystemPackages.SkipOrFail("debootstrap bookworm failed (no network to the Debian mirror?): " + output[^Math.Min(500, output.Length)..]);
        }

        foreach (string deb in Directory.EnumerateFiles(Path.Combine(root, "var/cache/apt/archives"), "*.deb"))
        {
            File.Delete(deb);
        }

        File.WriteAllText(complete, string.Empty);
        return root;
    }

    private static void Mount(Stack<string> mounts, string target, params string[] args)
    {
        RealTool.RunChecked("mount", [.. args, target]);
        mounts.Push(target);
    }

    private static void AssertCleanUpdate(string merged)
    {
        (int exitCode, string stdOut, string stdErr) = InChroot(merged, "apt-get", "update");
        Assert.True(exitCode == 0, $"apt-get update exited {exitCode}: {stdOut}{stdErr}");
        Assert.DoesNotContain("W:", stdOut + stdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("E:", stdOut + stdErr, StringComparison.Ordinal);
    }

    private static void TamperPackages(string repo)
    {
        string directory = Path.Combine(repo, "dists/stable/main/binary-amd64");
        string text = File.ReadAllText(Path.Combine(directory, "Packages")).Replace("Priority: optional", "Priority: required", StringComparison.Ordinal);
        byte[] plain = System.Text.Encoding.UTF8.GetBytes(text);
        byte[] gzip = DkmsPack.Compression.Compressor.GzipBytes(plain);
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            File.WriteAllBytes(file, File.ReadAllBytes(file) is [0x1f, 0x8b, ..] ? gzip : plain);
        }
    }

    private static ChrootResult InChroot(string merged, params string[] command)
    {
        (int exitCode, string output) = LongRun(TimeSpan.FromMinutes(10), "chroot", [merged, "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LC_ALL=C.UTF-8", "DEBIAN_FRONTEND=noninteractive", .. command]);
        return new ChrootResult(exitCode, output, string.Empty);
    }

    /// <summary>Runs a command that may take minutes (debootstrap, a DKMS build), stdout and stderr together.</summary>
    private static (int ExitCode, string Output) LongRun(TimeSpan timeout, string program, params string[] args)
    {
        var start = new ProcessStartInfo(RealTool.Require(program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdOut = process.StandardOutput.ReadToEndAsync();
        Task<string> stdErr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{program} did not finish within {timeout.TotalMinutes:0} minutes");
        }

        return (process.ExitCode, stdOut.Result.Trim() + stdErr.Result);
    }

    private sealed record ChrootResult(int ExitCode, string StdOut, string StdErr)
    {
        public void AssertOk(string what) => Assert.True(ExitCode == 0, $"{what} exited {ExitCode}: {StdOut}");

        public void Deconstruct(out int exitCode, out string stdOut, out string stdErr) => (exitCode, stdOut, stdErr) = (ExitCode, StdOut, StdErr);
    }
}
