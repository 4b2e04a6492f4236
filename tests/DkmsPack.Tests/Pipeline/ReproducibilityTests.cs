using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Pipeline;

/// <summary>
/// Two release pipelines that check out the same commit and set the same SOURCE_DATE_EPOCH must publish
/// the same bytes, whatever else differs between their machines. The real dkmspack runs as a child process.
/// </summary>
public sealed class ReproducibilityTests : IDisposable
{
    /// <summary>TestBuilds.Epoch (2026-01-01T00:00:00Z).</summary>
    private static readonly DateTimeOffset s_epoch = DateTimeOffset.FromUnixTimeSeconds(long.Parse(TestBuilds.Epoch, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A time well before <see cref="s_epoch"/>: SOURCE_DATE_EPOCH only lowers later mtimes, so this one is kept.</summary>
    private static readonly DateTimeOffset s_old = new(2020, 2, 29, 12, 34, 56, TimeSpan.Zero);

    private readonly TempDirectory _scratch = TempDirectory.PreferTmpfs();

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<string, string, string> Commands => new()
    {
        { "apple-gmux-0.1", "build", "gzip" },
        { "apple-gmux-0.1", "mkdeb", "gzip" },
        { "apple-gmux-0.1", "build", "zstd" },
        { "hello-pair", "build", "gzip" },
        { "hello-pair", "mkdeb", "gzip" },

        // Every format build writes by default (the rpm too, now that it exists).
        { "apple-gmux-0.1", "build-all", "gzip" },
        { "hello-pair", "build-all", "zstd" },

        // A project file with extras: a udev rule, a conffile, a doc file, a changelog file, a hook.
        { "greeter-0.1", "build-all", "gzip" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void SameSourcesAndEpoch_OnDifferentMachines_GiveByteIdenticalPackages(string example, string command, string compression)
    {
        string source = Repo.Example(example);
        string[] oldFiles = [.. TreeCopy.RelativePaths(source).Where(p => File.Exists(Path.Combine(source, p))).Take(1)];

        // Checkout A: plain copy, created in name order, modes as in the repository.
        string treeA = _scratch.Combine("pipeline-a", example);
        TreeCopy.Copy(source, treeA, reverse: false, modeMask: (UnixFileMode)0b111_111_111);
        TreeCopy.SetMtimes(treeA, RandomMtimes(seed: 1, oldFiles));

        // Checkout B: another directory name and depth, created in reverse order, modes as under umask 077,
        // other random mtimes (all after the epoch, some in the future); the one old file keeps the same mtime.
        string treeB = _scratch.Combine("elsewhere", "deeper", "checkout");
        TreeCopy.Copy(source, treeB, reverse: true, modeMask: UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        TreeCopy.SetMtimes(treeB, RandomMtimes(seed: 2, oldFiles));

        AssertListingOrdersDiffer(treeA, treeB);

        string outputA = _scratch.Combine("pipeline-a", "dist");
        string outputB = _scratch.Combine("elsewhere", "out", "packages");
        string[] commandA = CommandLine(command, treeA, outputA, compression);
        string[] commandB = CommandLine(command, treeB, outputB, compression);
        DkmsPackShell.RunChecked(commandA, HostConditions.Plain, _scratch.Combine("pipeline-a"), TestBuilds.Epoch);
        DkmsPackShell.RunChecked(commandB, HostConditions.Hostile, _scratch.Combine("elsewhere", "deeper"), TestBuilds.Epoch);

        Dictionary<string, string> packagesA = HashesByFileName(outputA);
        Dictionary<string, string> packagesB = HashesByFileName(outputB);
        Assert.Contains(packagesA.Keys, f => f.EndsWith(".deb", StringComparison.Ordinal));
        Assert.Equal(packagesA.Keys.Order(StringComparer.Ordinal), packagesB.Keys.Order(StringComparer.Ordinal));
        foreach ((string file, string hash) in packagesA)
        {
            Assert.True(hash == packagesB[file], $"{file} differs: {hash} ({HostConditions.Plain}) vs {packagesB[file]} ({HostConditions.Hostile})");
        }

        // The umask really was in force: the package file itself (not its contents) was created 0600 under it.
        string deb = packagesA.Keys.First(f => f.EndsWith(".deb", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(outputB, deb)) & (UnixFileMode)0b000_111_111);
        Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(outputA, deb)) & UnixFileMode.OtherRead);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public void LargeTree_CompressedOnOneCoreOrAll_GivesByteIdenticalPackages(string compression)
    {
        // Several MiB, so that compression runs in more than one block and on several threads where it can.
        string treeA = _scratch.Combine("a", "large");
        TreeCopy.Copy(Repo.Example("hello-pair"), treeA, reverse: false, modeMask: (UnixFileMode)0b111_111_111);
        WriteCompressibleFile(Path.Combine(treeA, "src", "firmware-table.h"), 6 << 20);
        string treeB = _scratch.Combine("b", "elsewhere", "large");
        TreeCopy.Copy(treeA, treeB, reverse: true, modeMask: UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        TreeCopy.SetMtimes(treeA, RandomMtimes(seed: 3, []));
        TreeCopy.SetMtimes(treeB, RandomMtimes(seed: 4, []));

        string outputA = _scratch.Combine("a", "out");
        string outputB = _scratch.Combine("b", "out");
        DkmsPackShell.RunChecked(CommandLine("build-all", treeA, outputA, compression), HostConditions.Plain, _scratch.Path, TestBuilds.Epoch);
        DkmsPackShell.RunChecked(CommandLine("build-all", treeB, outputB, compression), HostConditions.Hostile, _scratch.Path, TestBuilds.Epoch);

        string deb = Assert.Single(Directory.GetFiles(outputA, "*.deb"));
        Assert.True(new FileInfo(deb).Length > 1 << 20, $"{deb} is only {new FileInfo(deb).Length} bytes: the test data compressed too well to need several blocks");
        Assert.Equal(HashesByFileName(outputA), HashesByFileName(outputB));
    }

    [Fact]
    public void SourceFileOlderThanTheEpoch_KeepsItsOwnMtime_SoItIsPartOfWhatMustMatch()
    {
        // SOURCE_DATE_EPOCH clamps (like dpkg-deb --clamp-mtime): it lowers later mtimes and keeps earlier ones.
        // So an old file whose mtime differs between two checkouts does change the package; git checkouts,
        // whose files are all newer than the last commit, are never in that case.
        string source = Repo.Example("apple-gmux-0.1");
        string treeA = _scratch.Combine("a", "tree");
        string treeB = _scratch.Combine("b", "tree");
        TreeCopy.Copy(source, treeA, reverse: false, modeMask: (UnixFileMode)0b111_111_111);
        TreeCopy.Copy(source, treeB, reverse: false, modeMask: (UnixFileMode)0b111_111_111);
        TreeCopy.SetMtimes(treeA, path => path == "Makefile" ? s_old : s_epoch.AddDays(30));
        TreeCopy.SetMtimes(treeB, path => path == "Makefile" ? s_old.AddDays(1) : s_epoch.AddDays(60));

        string debA = BuildDeb(treeA, _scratch.Combine("a", "out"), TestBuilds.Epoch);
        string debB = BuildDeb(treeB, _scratch.Combine("b", "out"), TestBuilds.Epoch);

        Dictionary<string, DateTimeOffset> dataA = DebContents.Mtimes(debA, _scratch.Combine("a"));
        Dictionary<string, DateTimeOffset> dataB = DebContents.Mtimes(debB, _scratch.Combine("b"));
        Assert.Equal(s_old, dataA["./usr/src/apple-gmux-0.1/Makefile"]);
        Assert.Equal(s_old.AddDays(1), dataB["./usr/src/apple-gmux-0.1/Makefile"]);
        Assert.Equal(s_epoch, dataA["./usr/src/apple-gmux-0.1/apple-gmux.c"]);
        Assert.Equal(s_epoch, dataB["./usr/src/apple-gmux-0.1/apple-gmux.c"]);
        Assert.NotEqual(FileHash.Sha256(debA), FileHash.Sha256(debB));
    }

    [Fact]
    public void WithoutSourceDateEpoch_SourceFilesKeepTheirMtimes_AndEverythingGeneratedGetsTheBuildTime()
    {
        // What the README documents for builds without SOURCE_DATE_EPOCH: the build time is "now" (whole seconds),
        // used for the generated entries (directories above the tree, the install directory, the doc files and the
        // control members) and the changelog date; the tree's own files and directories keep their mtimes on disk.
        string tree = _scratch.Combine("tree");
        TreeCopy.Copy(Repo.Example("hello-pair"), tree, reverse: false, modeMask: (UnixFileMode)0b111_111_111);
        var diskTimes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        int n = 0;
        TreeCopy.SetMtimes(tree, path => diskTimes[path] = s_old.AddHours(n++));

        DateTimeOffset before = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        string deb = BuildDeb(tree, _scratch.Combine("out"), sourceDateEpoch: null);
        DateTimeOffset after = DateTimeOffset.UtcNow;

        Dictionary<string, DateTimeOffset> data = DebContents.Mtimes(deb, _scratch.Path);
        Dictionary<string, DateTimeOffset> control = DebContents.Mtimes(deb, _scratch.Path, control: true);
        const string installDirectory = "./usr/src/hello_pair-1.2.0/";
        DateTimeOffset buildTime = data[installDirectory];
        Assert.InRange(buildTime, before, after);

        foreach ((string name, DateTimeOffset mtime) in data.Concat(control))
        {
            string relative = name.StartsWith(installDirectory, StringComparison.Ordinal) ? name[installDirectory.Length..].TrimEnd('/') : string.Empty;
            DateTimeOffset expected = relative.Length > 0 ? diskTimes[relative] : buildTime;
            Assert.True(expected == mtime, $"{name}: mtime {mtime:O}, expected {expected:O}");
        }

        Assert.Equal(diskTimes.Count, data.Keys.Count(k => k.StartsWith(installDirectory, StringComparison.Ordinal) && k != installDirectory));
    }

    private string BuildDeb(string tree, string output, string? sourceDateEpoch)
    {
        DkmsPackShell.RunChecked(["mkdeb", tree, "-o", output, "--maintainer", "Pipeline Test <pipeline@example.org>"], HostConditions.Plain, _scratch.Path, sourceDateEpoch);
        return Assert.Single(Directory.GetFiles(output, "*.deb"));
    }

    private static string[] CommandLine(string command, string tree, string output, string compression) => command switch
    {
        "build" => ["build", tree, "-o", output, "--formats", "deb", "-Z", compression, "--maintainer", "Pipeline Test <pipeline@example.org>"],
        "build-all" => ["build", tree, "-o", output, "-Z", compression, "--maintainer", "Pipeline Test <pipeline@example.org>"],
        "mkdeb" => ["mkdeb", tree, "-o", output, "-Z", compression, "--maintainer", "Pipeline Test <pipeline@example.org>"],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "build, build-all or mkdeb"),
    };

    /// <summary>
    /// Random mtimes after the epoch, up to ten years after now (a clock set wrong); the files in
    /// <paramref name="oldFiles"/> get <see cref="s_old"/>, which the epoch does not clamp.
    /// </summary>
    private static Func<string, DateTimeOffset> RandomMtimes(int seed, IReadOnlyCollection<string> oldFiles)
    {
        var random = new Random(seed);
        long low = s_epoch.ToUnixTimeSeconds() + 1;
        long high = DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeSeconds();
        return path => oldFiles.Contains(path, StringComparer.Ordinal) ? s_old : DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(low, high));
    }

    /// <summary>Text-like data that compresses to roughly a third: hex tables from a seeded generator.</summary>
    private static void WriteCompressibleFile(string path, int size)
    {
        var random = new Random(42);
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        long written = 0;
        while (written < size)
        {
            string line = $"    0x{random.Next():x8}, 0x{random.Next(0, 4096):x4}, /* entry {written} */\n";
            writer.Write(line);
            written += line.Length;
        }
    }

    /// <summary>The copies must really list differently, or the reverse-order copy proves nothing.</summary>
    private void AssertListingOrdersDiffer(string treeA, string treeB)
    {
        Dictionary<string, string[]> listingsA = TreeCopy.ListingOrder(treeA);
        Dictionary<string, string[]> listingsB = TreeCopy.ListingOrder(treeB);
        Assert.Equal(listingsA.Keys.Order(StringComparer.Ordinal), listingsB.Keys.Order(StringComparer.Ordinal));
        bool anyDiffers = listingsA.Any(a => !a.Value.SequenceEqual(listingsB[a.Key], StringComparer.Ordinal));
        if (_scratch.OnTmpfs)
        {
            Assert.True(anyDiffers, "both copies list every directory in the same order: " + string.Join("; ", listingsA.Select(a => a.Key + ": " + string.Join(' ', a.Value))));
        }
    }

    /// <summary>Every file in <paramref name="directory"/> (packages and SHA256SUMS) by name, with its SHA-256.</summary>
    private static Dictionary<string, string> HashesByFileName(string directory) =>
        Directory.GetFiles(directory).ToDictionary(p => Path.GetFileName(p), FileHash.Sha256, StringComparer.Ordinal);
}
