using DkmsPack.IO;
using System.Security.Cryptography;
using DkmsPack.Archives.Cpio;
using DkmsPack.Archives.Rpm;
using DkmsPack.Compression;

namespace DkmsPack.Tests.Archives.Rpm;

/// <summary>One object of a test package; <see cref="Path"/> has no leading slash.</summary>
internal sealed record TestRpmEntry(string Path, int Permissions, byte[]? Content = null, string? LinkTarget = null)
{
    public static TestRpmEntry Directory(string path) => new(path, 0b111_101_101);

    public static TestRpmEntry File(string path, string content, int permissions = 0b110_100_100) =>
        new(path, permissions, System.Text.Encoding.UTF8.GetBytes(content));

    public static TestRpmEntry Symlink(string path, string target) => new(path, 0b111_111_111, LinkTarget: target);

    public bool IsDirectory => Content is null && LinkTarget is null;
}

/// <summary>What <see cref="TestRpm.Write"/> produced, for assertions.</summary>
internal sealed record TestRpmResult(string PackagePath, byte[] MainHeader, string PayloadDigest, string PayloadDigestAlt, long CpioLength, long CompressedLength);

/// <summary>
/// Assembles a minimal noarch DKMS-style package with the archive layer alone, the way the real packager
/// will: the tag set of docs/rpm-format.md ("Main header tags"), the archive layer's file table, dependencies and changelog, and the two-phase write documented on
/// <see cref="RpmPackageAssembler"/>. Test support only; the policy (names, flags) lives in Packaging.
/// </summary>
internal static class TestRpm
{
    public const uint BuildTime = 1_700_000_000;
    public const uint DigestAlgoSha256 = 8;     // PGPHASHALGO_SHA256
    public const uint SenseRpmLib = RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal; // docs/rpm-format.md, "Dependencies"
    public const int DirectorySize = 0;         // what rpmbuild records for a directory's st_size since rpm 4.14

    private const int TypeDirectory = 0x4000; // S_IFDIR
    private const int TypeRegular = 0x8000;   // S_IFREG
    private const int TypeSymlink = 0xA000;   // S_IFLNK

    public static TestRpmResult Write(string directory, string name, string version, string release, IEnumerable<TestRpmEntry> entries)
    {
        TestRpmEntry[] files = [.. entries.OrderBy(e => e.Path, StringComparer.Ordinal)];
        string packagePath = Path.Combine(directory, $"{name}-{version}-{release}.noarch.rpm");
        string tempPath = Path.Combine(directory, $"{name}.payload.tmp");

        using var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);

        // Phase 1: cpio -> hash (uncompressed) -> gzip -> hash (compressed) -> temp file.
        var compressed = new HashingWriteStream(temp, leaveOpen: true);
        Stream gzip = Compressor.Create(CompressionMethod.Gzip, null, compressed);
        var raw = new HashingWriteStream(gzip, leaveOpen: true);
        using (var cpio = new CpioNewcWriter(raw, leaveOpen: true))
        {
            for (int i = 0; i < files.Length; i++)
            {
                TestRpmEntry f = files[i];
                string cpioName = "./" + f.Path;
                long ino = i + 1;
                if (f.LinkTarget is not null)
                {
                    cpio.WriteSymlink(cpioName, f.LinkTarget, BuildTime, ino);
                }
                else if (f.Content is not null)
                {
                    cpio.WriteFile(cpioName, f.Permissions, BuildTime, ino, f.Content.Length, new MemoryStream(f.Content));
                }
                else
                {
                    cpio.WriteDirectory(cpioName, f.Permissions, BuildTime, ino);
                }
            }
        }

        raw.Dispose();
        gzip.Dispose();
        compressed.Dispose();

        // Phase 2: the main header, which carries the payload digests.
        byte[] mainHeader = MainHeader(name, version, release, files, compressed.GetSha256Hex(), raw.GetSha256Hex());

        // Phase 3: lead + signature + header + payload.
        temp.Position = 0;
        using (FileStream output = File.Create(packagePath))
        {
            RpmPackageAssembler.Write(output, $"{name}-{version}-{release}", mainHeader, temp, raw.BytesWritten);
        }

        return new TestRpmResult(packagePath, mainHeader, compressed.GetSha256Hex(), raw.GetSha256Hex(), raw.BytesWritten, compressed.BytesWritten);
    }

    private static byte[] MainHeader(string name, string version, string release, TestRpmEntry[] files, string payloadDigest, string payloadDigestAlt)
    {
        // The same file table as the real packager's (RpmFileTable), fed from the test entries.
        var table = new RpmFileTable();
        long installedSize = 0;
        foreach (TestRpmEntry f in files)
        {
            long size = f.Content?.Length ?? (f.LinkTarget is { } t ? System.Text.Encoding.UTF8.GetByteCount(t) : DirectorySize);
            installedSize += f.IsDirectory ? 0 : size;
            int type = f.IsDirectory ? TypeDirectory : f.LinkTarget is null ? TypeRegular : TypeSymlink;
            string digest = f.Content is null ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(f.Content));
            table.Add("/" + f.Path, (ushort)(type | f.Permissions), size, BuildTime, digest, f.LinkTarget ?? string.Empty);
        }

        string evr = $"{version}-{release}";
        string packager = "dkmspack tests <tests@example.invalid>";
        var header = new RpmHeaderBuilder()
            .AddStringArray(RpmTag.HeaderI18nTable, ["C"])
            .AddString(RpmTag.Name, name)
            .AddString(RpmTag.Version, version)
            .AddString(RpmTag.Release, release)
            .AddI18nString(RpmTag.Summary, "Hello world kernel module (DKMS sources)")
            .AddI18nString(RpmTag.Description, "The hello kernel module, built by DKMS.")
            .AddInt32(RpmTag.BuildTime, BuildTime)
            .AddString(RpmTag.BuildHost, "localhost")
            .AddInt32(RpmTag.Size, checked((uint)installedSize))
            .AddString(RpmTag.License, "GPL-2.0-only")
            .AddString(RpmTag.Packager, packager)
            .AddI18nString(RpmTag.Group, "System Environment/Kernel")
            .AddString(RpmTag.Url, "https://example.invalid/hello")
            .AddString(RpmTag.Os, "linux")
            .AddString(RpmTag.Arch, "noarch")
            .AddString(RpmTag.SourceRpm, $"{name}-{evr}.src.rpm")
            .AddString(RpmTag.PayloadFormat, "cpio")
            .AddString(RpmTag.PayloadCompressor, "gzip")
            .AddString(RpmTag.PayloadFlags, "9")
            .AddInt32(RpmTag.FileDigestAlgo, DigestAlgoSha256)
            .AddString(RpmTag.Encoding, "utf-8")
            .AddStringArray(RpmTag.PayloadDigest, [payloadDigest])
            .AddInt32(RpmTag.PayloadDigestAlgo, DigestAlgoSha256)
            .AddStringArray(RpmTag.PayloadDigestAlt, [payloadDigestAlt]);
        table.AddTo(header);
        RpmDependencies.AddProvides(header, [new RpmDependency(name, RpmSense.Equal, evr)]);
        RpmDependencies.AddRequires(header, [
            new RpmDependency("rpmlib(CompressedFileNames)", SenseRpmLib, "3.0.4-1"),
            new RpmDependency("rpmlib(FileDigests)", SenseRpmLib, "4.6.0-1"),
            new RpmDependency("rpmlib(PayloadFilesHavePrefix)", SenseRpmLib, "4.0-1"),
        ]);
        RpmChangelog.AddTo(header, [new RpmChangelogEntry(BuildTime, $"{packager} - {evr}", "- Initial package")]);
        return header.Build(RpmTag.HeaderImmutable);
    }
}
