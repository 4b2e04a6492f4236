using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using DkmsPack.Archives.Rpm;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Archives.Rpm;

/// <summary>
/// A minimal noarch package assembled from the archive layer, checked by the real rpm tools
/// (docs/rpm-format.md, "Signature header") and by <see cref="RpmPackageReader"/>. rpm runs with a throw-away
/// <c>--dbpath</c> so the machine's database is never touched.
/// </summary>
public class RpmEndToEndTests
{
    private const string Name = "hello-dkms";
    private const string Version = "1.0";
    private const string Release = "1";
    private const string DkmsConf = "PACKAGE_NAME=\"hello\"\nPACKAGE_VERSION=\"1.0\"\nBUILT_MODULE_NAME[0]=\"hello\"\nDEST_MODULE_LOCATION[0]=\"/updates\"\nAUTOINSTALL=\"yes\"\n";
    private const string HelloC = "#include <linux/module.h>\nMODULE_LICENSE(\"GPL\");\n";

    private static readonly string[] ExpectedFiles =
    [
        "/usr/src/hello-1.0",
        "/usr/src/hello-1.0/Makefile",
        "/usr/src/hello-1.0/dkms.conf",
        "/usr/src/hello-1.0/hello.c",
        "/usr/src/hello-1.0/source",
    ];

    [Fact]
    public void RpmKv_ReportsHeaderAndPayloadSha256DigestsOk()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);

        (int exitCode, string stdOut, string stdErr) = RealTool.Run("rpm", "-Kv", "--dbpath", DbPath(scratch), package.PackagePath);

        Assert.True(exitCode == 0, $"rpm -Kv exited {exitCode}:\n{stdOut}\n{stdErr}");
        Dictionary<string, string> results = ParseCheckSig(stdOut);
        Assert.Equal("OK", results.GetValueOrDefault("Header SHA256 digest"));
        Assert.Equal("OK", results.GetValueOrDefault("Payload SHA256 digest"));
        Assert.Equal("OK", results.GetValueOrDefault("Header SHA1 digest"));
        Assert.Equal("OK", results.GetValueOrDefault("MD5 digest"));
        Assert.DoesNotContain("NOTFOUND", stdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD", stdOut, StringComparison.Ordinal);
        Assert.Empty(stdErr);
    }

    [Fact]
    public void RpmK_SaysDigestsOk()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);

        string stdOut = RealTool.RunChecked("rpm", "-K", "--dbpath", DbPath(scratch), package.PackagePath);

        Assert.Equal($"{package.PackagePath}: digests OK", stdOut.Trim());
    }

    [Fact]
    public void RpmQuery_ReturnsTheHeaderFields()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);

        string stdOut = RealTool.RunChecked(
            "rpm", "-qp", "--dbpath", DbPath(scratch), "--qf",
            "%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{OS}|%{SUMMARY}|%{GROUP}|%{LICENSE}|%{SOURCERPM}|%{FILEDIGESTALGO}|%{PAYLOADDIGEST}|%{PAYLOADDIGESTALT}|%{SIGSIZE}|%{ARCHIVESIZE}|%{SIZE}\n",
            package.PackagePath);

        long headerAndPayload = package.MainHeader.Length + package.CompressedLength;
        long installedSize = DkmsConf.Length + HelloC.Length + "obj-m := hello.o\n".Length + "hello.c".Length;
        Assert.Equal(
            $"hello-dkms|1.0|1|noarch|linux|Hello world kernel module (DKMS sources)|System Environment/Kernel|GPL-2.0-only|hello-dkms-1.0-1.src.rpm|8|{package.PayloadDigest}|{package.PayloadDigestAlt}|{headerAndPayload}|{package.CpioLength}|{installedSize}",
            stdOut.Trim());
    }

    [Fact]
    public void RpmQueryList_ReturnsTheFileList()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);

        string stdOut = RealTool.RunChecked("rpm", "-qpl", "--dbpath", DbPath(scratch), package.PackagePath);

        Assert.Equal(ExpectedFiles, stdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void RpmQuery_ReturnsModesOwnersDigestsAndLinks()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);

        string stdOut = RealTool.RunChecked(
            "rpm", "-qp", "--dbpath", DbPath(scratch), "--qf",
            "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILESIZES} %{FILENAMES} %{FILEDIGESTS} %{FILELINKTOS}\n]",
            package.PackagePath);

        string Sha(string s) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
        Assert.Equal(
            [
                "drwxr-xr-x root:root 0 /usr/src/hello-1.0  ",
                $"-rw-r--r-- root:root 17 /usr/src/hello-1.0/Makefile {Sha("obj-m := hello.o\n")} ",
                $"-rw-r--r-- root:root {DkmsConf.Length} /usr/src/hello-1.0/dkms.conf {Sha(DkmsConf)} ",
                $"-rwxr-xr-x root:root {HelloC.Length} /usr/src/hello-1.0/hello.c {Sha(HelloC)} ",
                "lrwxrwxrwx root:root 7 /usr/src/hello-1.0/source  hello.c",
            ],
            stdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void RpmQuery_ReturnsProvidesAndRpmlibRequires()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);

        string provides = RealTool.RunChecked("rpm", "-qp", "--provides", "--dbpath", DbPath(scratch), package.PackagePath);
        string requires = RealTool.RunChecked("rpm", "-qp", "--requires", "--dbpath", DbPath(scratch), package.PackagePath);

        Assert.Equal(["hello-dkms = 1.0-1"], provides.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            ["rpmlib(CompressedFileNames) <= 3.0.4-1", "rpmlib(FileDigests) <= 4.6.0-1", "rpmlib(PayloadFilesHavePrefix) <= 4.0-1"],
            requires.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Rpm2Cpio_ExtractedWithCpio_GivesTheFileBytes()
    {
        RealTool.Require("cpio");
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);
        string cpioPath = scratch.Combine("payload.cpio");
        string root = Directory.CreateDirectory(scratch.Combine("root")).FullName;

        RealTool.RunChecked(new RealToolOptions(StdOutFile: cpioPath), "rpm2cpio", package.PackagePath);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: root, StdInFile: cpioPath), "cpio", "-idm", "--quiet");

        string dir = Path.Combine(root, "usr/src/hello-1.0");
        Assert.Equal(DkmsConf, File.ReadAllText(Path.Combine(dir, "dkms.conf")));
        Assert.Equal(HelloC, File.ReadAllText(Path.Combine(dir, "hello.c")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.Combine(dir, "hello.c")));
        Assert.Equal("hello.c", new FileInfo(Path.Combine(dir, "source")).LinkTarget);
        Assert.Equal(package.CpioLength, new FileInfo(cpioPath).Length);
    }

    [Fact]
    public void RpmPackageReader_RoundTripsLeadHeadersAndPayload()
    {
        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);
        byte[] file = File.ReadAllBytes(package.PackagePath);

        using var input = new MemoryStream(file);
        RpmPackageReader rpm = RpmPackageReader.Read(input);

        Assert.Equal(new RpmLeadInfo(3, 0, 0, 1, "hello-dkms-1.0-1", 1, 5), rpm.Lead);
        Assert.Equal(rpm.PayloadOffset, input.Position);
        Assert.Equal(0, rpm.HeaderOffset % 8);
        Assert.Equal(package.MainHeader, rpm.Header.Bytes.ToArray());
        Assert.Equal(package.MainHeader, file.AsSpan((int)rpm.HeaderOffset, package.MainHeader.Length).ToArray());

        byte[] payload = file[(int)rpm.PayloadOffset..];
        Assert.Equal(package.PayloadDigest, Convert.ToHexStringLower(SHA256.HashData(payload)));
        Assert.Equal([package.PayloadDigest], rpm.Header.GetStringArray(RpmTag.PayloadDigest));
        Assert.Equal([package.PayloadDigestAlt], rpm.Header.GetStringArray(RpmTag.PayloadDigestAlt));

        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var cpio = new MemoryStream();
        gzip.CopyTo(cpio);
        Assert.Equal(package.CpioLength, cpio.Length);
        Assert.Equal(package.PayloadDigestAlt, Convert.ToHexStringLower(SHA256.HashData(cpio.ToArray())));

        Assert.Equal([RpmSignatureTag.Sha1, RpmSignatureTag.Sha256, RpmSignatureTag.Size, RpmSignatureTag.Md5, RpmSignatureTag.PayloadSize], rpm.Signature.Entries.Select(e => e.Tag));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package.MainHeader)), rpm.Signature.GetString(RpmSignatureTag.Sha256));
        Assert.Equal((uint)(package.MainHeader.Length + payload.Length), rpm.Signature.GetInt32(RpmSignatureTag.Size));
        Assert.Equal((uint)cpio.Length, rpm.Signature.GetInt32(RpmSignatureTag.PayloadSize));
#pragma warning disable CA5351 // checking the format's MD5 tag (1004), not using MD5 for security
        Assert.Equal(MD5.HashData([.. package.MainHeader, .. payload]), rpm.Signature.GetBinary(RpmSignatureTag.Md5));
#pragma warning restore CA5351

        Assert.Equal("hello-dkms", rpm.Header.GetString(RpmTag.Name));
        Assert.Equal(new ushort[] { 0x41ED, 0x81A4, 0x81A4, 0x81ED, 0xA1FF }, rpm.Header.GetInt16Array(RpmTag.FileModes));
        Assert.Equal(["/usr/src/", "/usr/src/hello-1.0/"], rpm.Header.GetStringArray(RpmTag.DirNames));
        Assert.Equal([0u, 1u, 1u, 1u, 1u], rpm.Header.GetInt32Array(RpmTag.DirIndexes));
        Assert.False(rpm.Header.Contains(RpmTag.ArchiveSize)); // it lives in the signature header (docs/rpm-format.md, "Legacy signature tags in the main header")
    }

    [Fact]
    public void Package_BuiltTwice_IsByteIdentical()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        byte[] a = File.ReadAllBytes(Build(first).PackagePath);
        byte[] b = File.ReadAllBytes(Build(second).PackagePath);

        Assert.Equal(a, b);
    }

    /// <summary>rpm installs it into a throw-away root: this runs rpm's own cpio reader and per-file digest checks.</summary>
    [Fact]
    public void RpmInstall_IntoTemporaryRoot_WritesTheFiles()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Assert.Skip("rpm --root needs root (it chroots)");
        }

        using var scratch = new TempDirectory();
        TestRpmResult package = Build(scratch);
        string root = Directory.CreateDirectory(scratch.Combine("root")).FullName;

        RealTool.RunChecked("rpm", "--root", root, "--initdb");
        (int exitCode, string stdOut, string stdErr) = RealTool.Run(
            "rpm", "-i", "--root", root, "--nodeps", "--noscripts", "--notriggers", package.PackagePath);

        Assert.True(exitCode == 0, $"rpm -i exited {exitCode}:\n{stdOut}\n{stdErr}");
        Assert.Equal(DkmsConf, File.ReadAllText(Path.Combine(root, "usr/src/hello-1.0/dkms.conf")));
        Assert.Equal("hello.c", new FileInfo(Path.Combine(root, "usr/src/hello-1.0/source")).LinkTarget);
        string verify = RealTool.RunChecked("rpm", "-V", "--root", root, Name);
        Assert.Equal(string.Empty, verify.Trim());
    }

    // Needs no tool: the tests that run rpm require it through RealTool.Run.
    private static TestRpmResult Build(TempDirectory scratch) =>
        TestRpm.Write(scratch.Path, Name, Version, Release,
        [
            TestRpmEntry.Directory("usr/src/hello-1.0"),
            TestRpmEntry.File("usr/src/hello-1.0/dkms.conf", DkmsConf),
            TestRpmEntry.File("usr/src/hello-1.0/hello.c", HelloC, permissions: 0b111_101_101),
            TestRpmEntry.File("usr/src/hello-1.0/Makefile", "obj-m := hello.o\n"),
            TestRpmEntry.Symlink("usr/src/hello-1.0/source", "hello.c"),
        ]);

    private static string DbPath(TempDirectory scratch) => Directory.CreateDirectory(scratch.Combine("rpmdb")).FullName;

    // "    Header SHA256 digest: OK" -> { "Header SHA256 digest": "OK" }
    private static Dictionary<string, string> ParseCheckSig(string output)
    {
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            if (!line.StartsWith(' ') && !line.StartsWith('\t'))
            {
                continue; // the "<file>:" line
            }

            int colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                results[line[..colon].Trim()] = line[(colon + 2)..].Trim();
            }
        }

        return results;
    }
}
