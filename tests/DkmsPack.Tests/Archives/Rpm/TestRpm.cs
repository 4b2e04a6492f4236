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
/// will: the tag set of docs/rpm-format.md and the two-phase write documented on
/// <see cref="RpmPackageAssembler"/>. Test support only; the policy (names, flags) lives in Packaging.
/// </summary>
internal static class TestRpm
{
    public const uint BuildTime = 1_700_000_000;
    public const uint DigestAlgoSha256 = 8;     // PGPHASHALGO_SHA256
    public const uint SenseEqual = 0x8;         // RPMSENSE_EQUAL
    public const uint SenseRpmLib = 0x0100000A; // RPMSENSE_RPMLIB | LESS | EQUAL (docs/rpm-format.md)
    public const uint VerifyAll = 0xFFFFFFFF;   // RPMVERIFY_ALL
    public const int DirectorySize = 4096;      // what rpmbuild records for a directory's st_size

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
        var dirNames = new List<string>();
        var dirIndexes = new List<uint>();
        var baseNames = new List<string>();
        foreach (TestRpmEntry f in files)
        {
            string full = "/" + f.Path;
            int slash = full.LastIndexOf('/');
            string dir = full[..(slash + 1)];
            int index = dirNames.IndexOf(dir);
            if (index < 0)
            {
                index = dirNames.Count;
                dirNames.Add(dir);
            }

            dirIndexes.Add((uint)index);
            baseNames.Add(full[(slash + 1)..]);
        }

        uint[] sizes = [.. files.Select(f => (uint)(f.Content?.Length ?? (f.LinkTarget is { } t ? System.Text.Encoding.UTF8.GetByteCount(t) : DirectorySize)))];
        ushort[] modes = [.. files.Select(f => (ushort)((f.IsDirectory ? TypeDirectory : f.LinkTarget is null ? TypeRegular : TypeSymlink) | f.Permissions))];
        string[] digests = [.. files.Select(f => f.Content is null ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(f.Content)))];
        uint installedSize = (uint)files.Where(f => !f.IsDirectory).Sum(f => (long)sizes[Array.IndexOf(files, f)]);
        string evr = $"{version}-{release}";
        string packager = "dkmspack tests <tests@example.invalid>";

        return new RpmHeaderBuilder()
            .AddStringArray(RpmTag.HeaderI18nTable, ["C"])
            .AddString(RpmTag.Name, name)
            .AddString(RpmTag.Version, version)
            .AddString(RpmTag.Release, release)
            .AddI18nString(RpmTag.Summary, "Hello world kernel module (DKMS sources)")
            .AddI18nString(RpmTag.Description, "The hello kernel module, built by DKMS.")
            .AddInt32(RpmTag.BuildTime, BuildTime)
            .AddString(RpmTag.BuildHost, "localhost")
            .AddInt32(RpmTag.Size, installedSize)
            .AddString(RpmTag.License, "GPL-2.0-only")
            .AddString(RpmTag.Packager, packager)
            .AddI18nString(RpmTag.Group, "System Environment/Kernel")
            .AddString(RpmTag.Url, "https://example.invalid/hello")
            .AddString(RpmTag.Os, "linux")
            .AddString(RpmTag.Arch, "noarch")
            .AddInt32Array(RpmTag.FileSizes, sizes)
            .AddInt16Array(RpmTag.FileModes, modes) // INT16: rpmtag.h h[]
            .AddInt16Array(RpmTag.FileRdevs, new ushort[files.Length])
            .AddInt32Array(RpmTag.FileMtimes, [.. files.Select(_ => BuildTime)])
            .AddStringArray(RpmTag.FileDigests, digests)
            .AddStringArray(RpmTag.FileLinkTos, [.. files.Select(f => f.LinkTarget ?? string.Empty)])
            .AddInt32Array(RpmTag.FileFlags, new uint[files.Length])
            .AddStringArray(RpmTag.FileUserName, [.. files.Select(_ => "root")])
            .AddStringArray(RpmTag.FileGroupName, [.. files.Select(_ => "root")])
            .AddString(RpmTag.SourceRpm, $"{name}-{evr}.src.rpm")
            .AddInt32Array(RpmTag.FileVerifyFlags, [.. files.Select(_ => VerifyAll)])
            .AddStringArray(RpmTag.ProvideName, [name])
            .AddInt32Array(RpmTag.ProvideFlags, [SenseEqual])
            .AddStringArray(RpmTag.ProvideVersion, [evr])
            .AddStringArray(RpmTag.RequireName, ["rpmlib(CompressedFileNames)", "rpmlib(FileDigests)", "rpmlib(PayloadFilesHavePrefix)"])
            .AddInt32Array(RpmTag.RequireFlags, [SenseRpmLib, SenseRpmLib, SenseRpmLib])
            .AddStringArray(RpmTag.RequireVersion, ["3.0.4-1", "4.6.0-1", "4.0-1"])
            .AddInt32Array(RpmTag.ChangelogTime, [BuildTime])
            .AddStringArray(RpmTag.ChangelogName, [$"{packager} - {evr}"])
            .AddStringArray(RpmTag.ChangelogText, ["- Initial package"])
            .AddInt32Array(RpmTag.FileDevices, [.. files.Select(_ => 1u)])
            .AddInt32Array(RpmTag.FileInodes, [.. files.Select((_, i) => (uint)(i + 1))])
            .AddStringArray(RpmTag.FileLangs, [.. files.Select(_ => string.Empty)])
            .AddInt32Array(RpmTag.DirIndexes, dirIndexes)
            .AddStringArray(RpmTag.BaseNames, baseNames)
            .AddStringArray(RpmTag.DirNames, dirNames)
            .AddString(RpmTag.PayloadFormat, "cpio")
            .AddString(RpmTag.PayloadCompressor, "gzip")
            .AddString(RpmTag.PayloadFlags, "9")
            .AddInt32(RpmTag.FileDigestAlgo, DigestAlgoSha256)
            .AddString(RpmTag.Encoding, "utf-8")
            .AddStringArray(RpmTag.PayloadDigest, [payloadDigest])
            .AddInt32(RpmTag.PayloadDigestAlgo, DigestAlgoSha256)
            .AddStringArray(RpmTag.PayloadDigestAlt, [payloadDigestAlt])
            .Build(RpmTag.HeaderImmutable);
    }
}
