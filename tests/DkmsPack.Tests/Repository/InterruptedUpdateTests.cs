using DkmsPack.Repository;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// An update stopped at each of its write points (<see cref="StagedUpdate.WritePointHook"/> throws there, as a
/// crash would stop it; the run's cleanup then drops its staged temporary files, which a kill would leave behind
/// under names no client reads) leaves a repository
/// the real clients still read: apt-get update is clean and offers 0.1, and the package downloads with its hash.
/// </summary>
public sealed class InterruptedUpdateTests(RepositoryFixture fixture) : IClassFixture<RepositoryFixture>
{
    private sealed class Stop : Exception
    {
    }

    [Fact]
    public void AptUpdate_StoppedAtEveryWritePoint_LeavesARepositoryAptReads()
    {
        RealTool.Require("apt-get");
        var apt = new AptRepositoryTests(fixture);
        using var temp = new TempDirectory();
        string baseline = temp.Combine("baseline");
        apt.Publish(baseline, [fixture.Deb("0.1")]);

        // The write points of a run that adds 0.2 and prunes 0.1 (--keep 1): staging, renames, deletions.
        List<string> points = WritePoints(baseline, temp.Combine("counted"), repo => apt.Publish(repo, [fixture.Deb("0.2")], keep: 1));

        Assert.True(points.Count > 20, string.Join(", ", points));
        Assert.Contains("dists/stable/InRelease", points);
        for (int stopAt = 0; stopAt < points.Count; stopAt++)
        {
            string repo = StoppedAt(stopAt, baseline, temp.Combine("stopped-" + stopAt), stopped => apt.Publish(stopped, [fixture.Deb("0.2")], keep: 1));

            using var client = new HostApt();
            client.AddSource(Path.Combine(repo, RepositoryFixture.ModuleName + ".sources"), Path.Combine(repo, RepositoryFixture.ModuleName + ".gpg"));
            (int exitCode, string stdOut, string stdErr) = client.Update();
            Assert.True(exitCode == 0 && !(stdOut + stdErr).Contains("W:", StringComparison.Ordinal), $"stopped at {points[stopAt]} (#{stopAt}): {stdOut}{stdErr}");
            List<string> versions = client.Versions(RepositoryFixture.PackageName);
            Assert.True(versions is ["0.1-1"] or ["0.2-1"], $"stopped at {points[stopAt]} (#{stopAt}): {string.Join(", ", versions)}");
            (int downloaded, string output) = client.Download(RepositoryFixture.PackageName, temp.Path);
            Assert.True(downloaded == 0, $"stopped at {points[stopAt]} (#{stopAt}): {output}");

            // The next run completes the update from whatever was left.
            apt.Publish(repo, [fixture.Deb("0.2")], keep: 1);
            Directory.Delete(repo, recursive: true);
        }
    }

    /// <summary>
    /// As for apt, with dnf as the client (gpgcheck=1, repo_gpgcheck=1). The one exception rpm-md itself makes:
    /// repomd.xml and repomd.xml.asc are two files that no rename replaces together, so a run stopped between
    /// their renames leaves a signature that does not match; dnf then refuses the metadata (it never accepts it
    /// unchecked) and the next run repairs it. The test checks exactly that, and that it is the only such point.
    /// </summary>
    [Fact]
    public void RpmUpdate_StoppedAtEveryWritePoint_LeavesARepositoryDnfReads()
    {
        var rpm = new RpmRepositoryTests(fixture);
        using var temp = new TempDirectory();
        string baseline = temp.Combine("baseline");
        rpm.Publish(baseline, [fixture.Rpm("0.1")]);
        string baseRepository = rpm.BaseRepository(temp);

        List<string> points = WritePoints(baseline, temp.Combine("counted"), repo => rpm.Publish(repo, [fixture.Rpm("0.2")], keep: 1));

        Assert.Contains("repodata/repomd.xml", points);
        int mismatched = 0;
        for (int stopAt = 0; stopAt < points.Count; stopAt++)
        {
            string repo = StoppedAt(stopAt, baseline, temp.Combine("stopped-" + stopAt), stopped => rpm.Publish(stopped, [fixture.Rpm("0.2")], keep: 1));

            using var dnf = new HostDnf();
            dnf.AddBase(baseRepository);
            dnf.AddRepo(RepositoryFixture.ModuleName, File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".repo")).Replace("enabled=1", "enabled=1\nskip_if_unavailable=False", StringComparison.Ordinal));
            (int exitCode, string output) = dnf.Run("install", RepositoryFixture.PackageName);
            bool betweenSignatureAndIndex = points[stopAt] == "repodata/repomd.xml" && IsRename(points, stopAt);
            if (betweenSignatureAndIndex)
            {
                mismatched++;
                Assert.True(exitCode != 0, $"stopped between repomd.xml.asc and repomd.xml, dnf accepted: {output}");
            }
            else
            {
                Assert.True(exitCode == 0, $"stopped at {points[stopAt]} (#{stopAt}): {output}");
                Assert.Matches("^0\\.[12]-1$", dnf.Installed(RepositoryFixture.PackageName));
            }

            rpm.Publish(repo, [fixture.Rpm("0.2")], keep: 1);
            Directory.Delete(repo, recursive: true);
        }

        Assert.Equal(1, mismatched);
    }

    /// <summary>The write points of one update of a copy of <paramref name="baseline"/>, in order.</summary>
    private static List<string> WritePoints(string baseline, string copy, Action<string> update)
    {
        var points = new List<string>();
        CopyTree(baseline, copy);
        StagedUpdate.WritePointHook = points.Add;
        try
        {
            update(copy);
        }
        finally
        {
            StagedUpdate.WritePointHook = null;
        }

        return points;
    }

    /// <summary>A copy of <paramref name="baseline"/> whose update was stopped at write point <paramref name="stopAt"/>.</summary>
    private static string StoppedAt(int stopAt, string baseline, string copy, Action<string> update)
    {
        CopyTree(baseline, copy);
        int seen = 0;
        StagedUpdate.WritePointHook = _ =>
        {
            if (seen++ == stopAt)
            {
                throw new Stop();
            }
        };
        try
        {
            Assert.Throws<Stop>(() => update(copy));
        }
        finally
        {
            StagedUpdate.WritePointHook = null;
        }

        return copy;
    }

    // The second time a path shows up is its rename (the first is its staging).
    private static bool IsRename(List<string> points, int index) => points.Take(index).Contains(points[index]);

    internal static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
