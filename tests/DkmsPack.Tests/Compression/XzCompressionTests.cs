using System.Globalization;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Packaging;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Compression;

/// <summary>xz through liblzma, judged by xz -t/-l/-d, dpkg-deb, rpm, rpm2cpio | cpio and bsdtar.</summary>
public sealed class XzCompressionTests : IDisposable
{
    /// <summary>Level 0's block is 512 KiB, so this is six blocks: enough for threads to share them.</summary>
    private static readonly byte[] s_input = MakeInput((5 * 512 * 1024) + 12_345);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(XzCheck.Crc32, "CRC32")]
    [InlineData(XzCheck.Crc64, "CRC64")]
    [InlineData(XzCheck.Sha256, "SHA-256")]
    public void Stream_IsTestedAndDecompressedByXz_WithTheAskedCheck(XzCheck check, string xzName)
    {
        string xz = RealTool.Require("xz");
        string path = _temp.Combine("data.xz");
        File.WriteAllBytes(path, Compress(level: 0, extreme: false, check, threads: 2));

        RealTool.RunChecked(xz, "-t", path);
        string list = RealTool.RunChecked(xz, "-lvv", path);
        RealTool.RunChecked(xz, "-d", path);

        Assert.Contains($"Check:             {xzName}", list, StringComparison.Ordinal);
        Assert.Contains("Blocks:            6", list, StringComparison.Ordinal);
        Assert.Equal(s_input, File.ReadAllBytes(_temp.Combine("data")));
    }

    [Fact]
    public void Bytes_DoNotDependOnTheThreadCount()
    {
        byte[] one = Compress(level: 0, extreme: false, XzCheck.Crc64, threads: 1);

        Assert.Equal(one, Compress(level: 0, extreme: false, XzCheck.Crc64, threads: 2));
        Assert.Equal(one, Compress(level: 0, extreme: false, XzCheck.Crc64, threads: 5));
    }

    [Theory]
    [InlineData(0, "dict=256KiB")]
    [InlineData(6, "dict=8MiB")]
    [InlineData(9, "dict=64MiB")]
    public void Level_ChoosesXzsPresetDictionary(int level, string dictionary)
    {
        string xz = RealTool.Require("xz");
        string path = _temp.Combine($"level{level}.xz");
        File.WriteAllBytes(path, Compress(level, extreme: false, XzCheck.Crc64, threads: 2));

        Assert.Contains("--lzma2=" + dictionary, RealTool.RunChecked(xz, "-lvv", path), StringComparison.Ordinal);
    }

    [Fact]
    public void Extreme_IsXzsOwnMinusE()
    {
        // One block (level 6's is 16 MiB): liblzma compresses it as xz -6e does single-threaded, so the two differ
        // only in the block header (ours records the sizes) and index, a few bytes; xz -6 differs by far more.
        string xz = RealTool.Require("xz");
        string input = WriteTemp("input", s_input);
        long ours = Compress(6, extreme: true, XzCheck.Crc64, threads: 2).Length;

        Assert.InRange(ours - XzToolSize(xz, input, "-6e"), -32, 32);
        Assert.NotInRange(ours - XzToolSize(xz, input, "-6"), -32, 32);
    }

    [Fact]
    public void Deb_HasControlAndDataTarXz_ThatDpkgDebAndXzRead()
    {
        string deb = TestBuilds.Build(TestBuilds.Request(Repo.Example("apple-gmux-0.1"), _temp.Combine("out")) with { Compression = CompressionMethod.Xz }, "deb").Path;
        string ar = RealTool.Require("ar");
        string dpkgDeb = RealTool.Require("dpkg-deb");
        string xz = RealTool.Require("xz");

        Assert.Equal("debian-binary\ncontrol.tar.xz\ndata.tar.xz\n", RealTool.RunChecked(ar, "t", deb));
        Assert.Contains("Package: apple-gmux-dkms", RealTool.RunChecked(dpkgDeb, "-I", deb), StringComparison.Ordinal);
        Assert.Contains("./usr/src/apple-gmux-0.1/apple-gmux.c", RealTool.RunChecked(dpkgDeb, "-c", deb), StringComparison.Ordinal);
        string tar = _temp.Combine("data.tar");
        RealTool.RunChecked(new RealToolOptions(StdOutFile: tar), dpkgDeb, "--fsys-tarfile", deb);
        Assert.Contains("./usr/src/apple-gmux-0.1/dkms.conf", RealTool.RunChecked("tar", "-tf", tar), StringComparison.Ordinal);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: _temp.Path), ar, "x", deb, "control.tar.xz", "data.tar.xz");
        foreach (string member in (string[])["control.tar.xz", "data.tar.xz"])
        {
            RealTool.RunChecked(xz, "-t", _temp.Combine(member));
            Assert.Contains("Check:             CRC64", RealTool.RunChecked(xz, "-lvv", _temp.Combine(member)), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, false, "xz 6")]
    [InlineData(9, true, "xz 9")]
    [InlineData(0, false, "xz 0")]
    public void Rpm_PayloadIsXz_AsRpmbuildWritesIt(int? level, bool extreme, string compressorAndFlags)
    {
        RealTool.Require("rpm");
        string rpm = TestBuilds.Build(TestBuilds.Request(Repo.Example("hello-pair"), _temp.Combine("out")) with { Compression = CompressionMethod.Xz, CompressionLevel = level, CompressionExtreme = extreme }, "rpm").Path;

        string verify = RealTool.RunChecked("rpm", "-Kv", rpm);
        Assert.Contains("Payload SHA256 digest: OK", verify, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD", verify, StringComparison.Ordinal);
        Assert.Equal(compressorAndFlags, RealTool.RunChecked("rpm", "-qp", "--qf", "%{PAYLOADCOMPRESSOR} %{PAYLOADFLAGS}", rpm));
        Assert.Contains("rpmlib(PayloadIsXz) <= 5.2-1", RealTool.RunChecked("rpm", "-qp", "--requires", rpm), StringComparison.Ordinal);
        string cpio = _temp.Combine("payload.cpio");
        RealTool.RunChecked(new RealToolOptions(StdOutFile: cpio), RealTool.Require("rpm2cpio"), rpm);
        var listing = RealTool.Run(new RealToolOptions(StdInFile: cpio), RealTool.Require("cpio"), "-t");
        Assert.True(listing.ExitCode == 0, listing.StdErr);
        Assert.Contains("./usr/src/hello_pair-1.2.0/dkms.conf", listing.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Rpm_PayloadHasRpmbuildsSha256Check()
    {
        string xz = RealTool.Require("xz");
        RealTool.Require("rpm");
        string rpm = TestBuilds.Build(TestBuilds.Request(Repo.Example("hello-pair"), _temp.Combine("out")) with { Compression = CompressionMethod.Xz }, "rpm").Path;
        byte[] bytes = File.ReadAllBytes(rpm);
        int start = bytes.AsSpan().IndexOf((byte[])[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]);

        Assert.True(start > 0, "no xz stream in the RPM");
        Assert.Contains("Check:             SHA-256", RealTool.RunChecked(xz, "-lvv", WriteTemp("payload.xz", bytes[start..])), StringComparison.Ordinal);
    }

    [Fact]
    public void Arch_IsPkgTarXz_ThatBsdtarLists()
    {
        string bsdtar = RealTool.Require("bsdtar");
        string package = TestBuilds.Build(TestBuilds.Request(Repo.Example("apple-gmux-0.1"), _temp.Combine("out")) with { Compression = CompressionMethod.Xz, CompressionChosen = true }, "arch").Path;

        Assert.EndsWith(".pkg.tar.xz", package, StringComparison.Ordinal);
        string listing = RealTool.RunChecked(bsdtar, "-tf", package);
        Assert.Contains(".PKGINFO", listing, StringComparison.Ordinal);
        Assert.Contains("usr/src/apple-gmux-0.1/dkms.conf", listing, StringComparison.Ordinal);
        RealTool.RunChecked(RealTool.Require("xz"), "-t", package);
    }

    [Fact]
    public void Cli_OneAndTwoProcessors_WriteTheSamePackages()
    {
        string[] args = ["build", Repo.Example("hello-pair"), "-Z", "xz", "--compression-level", "0", "--formats", "deb,rpm", "--maintainer", "T <t@example.org>"];
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch };
        var one = DkmsPackProcess.Run([.. args, "-o", _temp.Combine("one")], new Dictionary<string, string?>(environment) { ["DOTNET_PROCESSOR_COUNT"] = "1" });
        var two = DkmsPackProcess.Run([.. args, "-o", _temp.Combine("two")], new Dictionary<string, string?>(environment) { ["DOTNET_PROCESSOR_COUNT"] = "2" });

        Assert.True(one.ExitCode == 0, one.StdErr);
        Assert.True(two.ExitCode == 0, two.StdErr);
        Assert.Equal(File.ReadAllText(_temp.Combine("one", "SHA256SUMS")), File.ReadAllText(_temp.Combine("two", "SHA256SUMS")));
    }

    [Fact]
    public void Cli_MissingLibLzma_IsOneLineExit1_AndWritesNothing_WhileGzipStillWorks()
    {
        var missing = new Dictionary<string, string?> { ["DKMSPACK_LIBLZMA"] = "liblzma-that-is-not-there.so.5" };
        string output = _temp.Combine("out");

        var xz = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-Z", "xz", "-o", output, "--maintainer", "T <t@example.org>"], missing);
        var gzip = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-Z", "gzip", "-o", _temp.Combine("gzip"), "--maintainer", "T <t@example.org>"], missing);

        Assert.True(xz.ExitCode == ExitCode.InvalidOptions, $"exit {xz.ExitCode}: {xz.StdErr}");
        string[] lines = xz.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, xz.StdErr);
        Assert.StartsWith("dkmspack: error: xz compression needs the system's liblzma (liblzma-that-is-not-there.so.5)", lines[0], StringComparison.Ordinal);
        Assert.Contains("liblzma5", lines[0], StringComparison.Ordinal);
        Assert.Contains("xz-libs", lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the output directory was created");
        Assert.True(gzip.ExitCode == 0, gzip.StdErr);
    }

    [Theory]
    [InlineData("gzip", "9e", "--compression-level 9e asks for the extreme variant (e), which only xz has, not gzip")]
    [InlineData("xz", "10", "--compression-level 10 is not a level of xz (a whole number from 0 to 9, optionally followed by e for extreme)")]
    [InlineData("xz", "e", "--compression-level e is not a level of xz")]
    [InlineData("zstd", "0", "--compression-level 0 is not a level of zstd (a whole number from 1 to 19)")]
    public void Cli_BadXzLevel_IsOneLineExit1(string method, string level, string expected)
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-Z", method, "--compression-level", level, "-o", _temp.Combine("out")]);

        Assert.True(result.ExitCode == ExitCode.InvalidOptions, $"exit {result.ExitCode}: {result.StdErr}");
        Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectFile_XzAndExtremeLevel_GiveTheCommandLinesPackage()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");

        // Enough data for -7e to differ from -7 (on a few kilobytes they can give the same bytes).
        File.WriteAllBytes(Path.Combine(tree, "generated.h"), s_input);
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch };
        string[] common = ["mkrpm", tree, "--maintainer", "T <t@example.org>"];
        var fromCommandLine = DkmsPackProcess.Run([.. common, "-Z", "xz", "--compression-level", "7e", "-o", _temp.Combine("cli")], environment);
        File.WriteAllText(Path.Combine(tree, "dkmspack.toml"), "compression = \"xz\"\ncompression-level = \"7e\"\n");
        var fromProject = DkmsPackProcess.Run([.. common, "-o", _temp.Combine("project")], environment);
        var plainSeven = DkmsPackProcess.Run([.. common, "--compression-level", "7", "-o", _temp.Combine("plain")], environment);

        Assert.True(fromCommandLine.ExitCode == 0, fromCommandLine.StdErr);
        Assert.True(fromProject.ExitCode == 0, fromProject.StdErr);
        Assert.True(plainSeven.ExitCode == 0, plainSeven.StdErr);
        string name = "apple-gmux-dkms-0.1-1.noarch.rpm";
        Assert.Equal(File.ReadAllBytes(_temp.Combine("cli", name)), File.ReadAllBytes(_temp.Combine("project", name)));
        Assert.NotEqual(File.ReadAllBytes(_temp.Combine("cli", name)), File.ReadAllBytes(_temp.Combine("plain", name)));
        Assert.Equal("xz 7", RealTool.RunChecked(RealTool.Require("rpm"), "-qp", "--qf", "%{PAYLOADCOMPRESSOR} %{PAYLOADFLAGS}", _temp.Combine("plain", name)));
    }

    private static byte[] Compress(int level, bool extreme, XzCheck check, int threads)
    {
        using var buffer = new MemoryStream();
        using (Stream xz = XzCompression.Create(buffer, level, extreme, check, threads))
        {
            // Odd-sized writes, so block boundaries fall inside writes.
            for (int offset = 0; offset < s_input.Length; offset += 77_777)
            {
                xz.Write(s_input.AsSpan(offset, Math.Min(77_777, s_input.Length - offset)));
            }
        }

        return buffer.ToArray();
    }

    private string WriteTemp(string name, byte[] bytes)
    {
        string path = _temp.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private long XzToolSize(string xz, string input, string preset)
    {
        string output = _temp.Combine("xz" + preset + ".xz");
        RealTool.RunChecked(new RealToolOptions(StdInFile: input, StdOutFile: output), xz, preset, "-T1", "-c");
        return new FileInfo(output).Length;
    }

    /// <summary>Text-like lines with some randomness (fixed seed), so xz has work to do.</summary>
    private static byte[] MakeInput(int length)
    {
        var random = new Random(17);
        var bytes = new byte[length];
        string[] words = ["module", "kernel", "static", "int", "return", "struct", "device", "->", "();", "\n", "    ", "if", "0x"];
        int position = 0;
        while (position < length)
        {
            string word = random.Next(8) == 0 ? random.Next().ToString(CultureInfo.InvariantCulture) : words[random.Next(words.Length)];
            foreach (char c in word)
            {
                if (position < length)
                {
                    bytes[position++] = (byte)c;
                }
            }
        }

        return bytes;
    }
}
