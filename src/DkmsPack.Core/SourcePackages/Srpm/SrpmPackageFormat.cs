using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.Archives.Cpio;
using DkmsPack.Archives.Rpm;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Packaging;
using DkmsPack.Packaging.Rpm;
using DkmsPack.Rendering;

namespace DkmsPack.SourcePackages.Srpm;

/// <summary>
/// A source RPM (rpm docs/manual/format_v4.md; docs/source-packages.md, "Source RPM"): the v4 file layout of a binary
/// package with a source lead, SOURCEPACKAGE in the header, no SOURCERPM, and a payload of two files, the rendered
/// spec in its source mode (Source0 and %setup) and the tree tarball (<see cref="SourceTarball"/>).
/// <c>rpmbuild --rebuild</c> builds from it the package <c>mkrpm</c> writes; the header mechanics are Archives/Rpm's.
/// </summary>
public sealed class SrpmPackageFormat : IPackageFormat
{
    private const string Architecture = "src";

    /// <summary>S_IFREG | 0644: both payload files are plain files rpmbuild reads.</summary>
    private const ushort PayloadFileMode = CpioNewcLayout.TypeRegular | UnixPermissions.Regular;

    /// <summary>Characters a tarball's top directory may hold: it is %setup's -n and a file name in the payload.</summary>
    private static readonly SearchValues<char> s_treeNameCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+~-");

    public string Name => "srpm";

    public PackageIdentity Identify(PackageSpec spec)
    {
        PackageIdentity binary = new RpmPackageFormat().Identify(spec);
        string tree = SourceTarball.TreeName(spec);
        if (tree.AsSpan().ContainsAnyExcept(s_treeNameCharacters))
        {
            throw DkmsPackException.Input("dkms.conf", $"\"{tree}\" cannot name a source RPM's tarball: only letters, digits and . _ + ~ - can", "give PACKAGE_NAME and PACKAGE_VERSION only those characters");
        }

        return binary with { Format = Name, Architecture = Architecture, FileName = $"{binary.Name}-{binary.Version}.{Architecture}.rpm" };
    }

    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return [new PlannedOutput(identity.FileName, identity, (output, context) => Write(spec, identity, output, context))];
    }

    /// <summary>The tarball's file name, Source0: <c>NAME-VERSION.tar.gz</c>.</summary>
    public static string TarballName(PackageSpec spec) => SourceTarball.TreeName(spec) + ".tar.gz";

    /// <summary>The spec the source RPM carries: mkrpm's, with Source0 and %setup in place of %{dkms_source}.</summary>
    public static string RenderSpec(PackageSpec spec, PackageIdentity identity, TemplateSet templates)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return RpmPackageFormat.RenderSpec(spec, BinaryIdentity(spec), templates, TarballName(spec), SourceTarball.TreeName(spec));
    }

    private static PackageIdentity BinaryIdentity(PackageSpec spec) => new RpmPackageFormat().Identify(spec);

    private static void Write(PackageSpec spec, PackageIdentity identity, Stream output, WriteContext context)
    {
        string specName = identity.Name + ".spec";
        byte[] specBytes = Encoding.UTF8.GetBytes(RenderSpec(spec, identity, context.Templates));
        (ScratchFile tarball, string tarballSha256, long tarballSize) = SourceTarball.WriteScratch(spec, context.ScratchDirectory);
        using (tarball)
        {
            // rpmbuild lists a source package's files sorted by name.
            var files = new List<(string Name, long Size, string Sha256, uint Flags, Func<Stream> Open)>
            {
                (specName, specBytes.Length, Convert.ToHexStringLower(SHA256.HashData(specBytes)), RpmFileFlags.SpecFile, () => new MemoryStream(specBytes, writable: false)),
                (TarballName(spec), tarballSize, tarballSha256, RpmFileFlags.None, () => new ReadOnlySubStream(tarball.Stream, 0, tarballSize)),
            };
            files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

            using var payload = new ScratchFile(context.ScratchDirectory, ".payload.cpio");
            (long uncompressedSize, string uncompressedSha256, string compressedSha256) = WritePayload(spec, files.Select(f => (f.Name, f.Size, f.Open)), payload.Stream);
            var table = new RpmFileTable();
            foreach ((string name, long size, string sha256, uint flags, _) in files)
            {
                table.Add(name, PayloadFileMode, size, spec.BuildTime, sha256, string.Empty, flags);
            }

            byte[] header = MainHeader(spec, identity, table, files.Sum(f => f.Size), uncompressedSha256, compressedSha256);
            RpmHeaderSignature? signature = context.Signer is { } signer ? RpmPackageFormat.HeaderSignature(signer, spec.BuildTime, header) : null;
            payload.Rewind();
            RpmPackageAssembler.Write(output, $"{identity.Name}-{identity.Version}", header, payload.Stream, uncompressedSize, signature, RpmLeadLayout.TypeSource);
        }
    }

    /// <summary>The cpio payload, compressed as the binary package's is; a source package's names carry no "./" prefix.</summary>
    private static (long UncompressedSize, string UncompressedSha256, string CompressedSha256) WritePayload(PackageSpec spec, IEnumerable<(string Name, long Size, Func<Stream> Open)> files, Stream destination)
    {
        var compressed = new HashingWriteStream(destination, leaveOpen: true);
        Stream compressor = Compressor.Create(spec.Compression, spec.CompressionLevel, compressed, spec.CompressionExtreme, XzCheck.Sha256);
        var raw = new HashingWriteStream(new BufferedStream(compressor, 1 << 16), leaveOpen: false);
        using (var cpio = new CpioNewcWriter(raw, leaveOpen: true))
        {
            long inode = 1;
            foreach ((string name, long size, Func<Stream> open) in files)
            {
                using Stream content = open();
                cpio.WriteFile(name, UnixPermissions.Regular, spec.BuildTime, inode++, size, content);
            }
        }

        raw.Dispose();
        compressor.Dispose();
        compressed.Dispose();
        return (raw.BytesWritten, raw.GetSha256Hex(), compressed.GetSha256Hex());
    }

    /// <summary>The main header as rpmbuild -bs writes it for this spec (checked tag by tag in the tests).</summary>
    private static byte[] MainHeader(PackageSpec spec, PackageIdentity identity, RpmFileTable files, long size, string uncompressedSha256, string compressedSha256)
    {
        string version = RpmNames.Version(spec);
        string release = RpmNames.Release(spec);
        RpmHeaderBuilder header = RpmPackageFormat.CommonHeader(spec, identity.Name, "noarch", size, compressedSha256, uncompressedSha256)
            .AddStringArray(RpmTag.Source, [TarballName(spec)])
            .AddStringArray(RpmTag.BuildArchs, ["noarch"])
            .AddInt32(RpmTag.SourcePackage, 1);
        files.AddTo(header);
        List<RpmDependency> requires =
        [
            new("rpmlib(CompressedFileNames)", RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal, "3.0.4-1"),
            new("rpmlib(FileDigests)", RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal, "4.6.0-1"),
        ];
        if (spec.Compression == CompressionMethod.Zstd)
        {
            requires.Add(new("rpmlib(PayloadIsZstd)", RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal, "5.4.18-1"));
        }
        else if (spec.Compression == CompressionMethod.Xz)
        {
            requires.Add(new("rpmlib(PayloadIsXz)", RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal, "5.2-1"));
        }

        // rpmbuild -bs records the package's own Provides in the source header too.
        RpmDependencies.AddProvides(header, [new RpmDependency(identity.Name, RpmSense.Equal, $"{version}-{release}")]);
        RpmDependencies.AddRequires(header, requires);
        RpmChangelog.AddTo(header, RpmPackageFormat.Changelog(spec, $"{version}-{release}"));
        return header.Build(RpmTag.HeaderImmutable);
    }
}
