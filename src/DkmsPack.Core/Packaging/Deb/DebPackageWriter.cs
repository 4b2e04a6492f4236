using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.Archives.Ar;
using DkmsPack.Archives.Tar;
using DkmsPack.Compression;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// Writes a binary .deb (deb(5)): an ar archive of debian-binary, control.tar and data.tar, in that order.
/// data.tar is streamed to a scratch file first, because control.tar (which comes before it) holds the
/// md5sums and Installed-Size that only the data pass can tell.
/// </summary>
public sealed class DebPackageWriter : IPackageWriter
{
    private const string FormatVersion = "2.0\n";

    /// <summary>Template names under templates/.</summary>
    private const string ControlTemplate = "deb/control.sbn";
    private const string PostinstTemplate = "deb/postinst.sbn";
    private const string PrermTemplate = "deb/prerm.sbn";
    private const string CopyrightTemplate = "deb/copyright.sbn";
    private const string ChangelogTemplate = "deb/changelog.sbn";

    public string Format => "deb";

    public string PackageName(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return DebianNames.PackageName(spec.ModuleName);
    }

    public string PackageVersion(PackageSpec spec) => DebianNames.Version(spec);

    public string FileName(PackageSpec spec) => $"{PackageName(spec)}_{PackageVersion(spec)}_all.deb";

    public void Write(PackageSpec spec, TemplateSet templates, Stream output, string scratchDirectory, IProgress<PackagingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        ScriptObject model = TemplateModel.Create(spec, this);
        string packageName = PackageName(spec);
        ScriptObject package = TemplateModel.Package(model);
        package["debian_license"] = DebianLicense.ShortName(spec.License);
        package["license_text"] = DebianLicense.Text(spec.License);

        IReadOnlyList<PackageEntry> entries = DataEntries(spec, templates, model, packageName);
        string suffix = Compressor.FileSuffix(spec.Compression);

        using var data = new ScratchFile(scratchDirectory, ".data.tar");
        DataSummary summary = WriteData(entries, spec, data.Stream, new ProgressCounter(Format, entries, progress));

        package["installed_size"] = summary.InstalledSizeKiB;
        package["depends"] = Depends(spec);
        byte[] control = ControlTar(spec, templates, model, summary.Md5Sums);

        using var ar = new ArWriter(output);
        ar.WriteMember("debian-binary", spec.BuildTime, Encoding.ASCII.GetBytes(FormatVersion));
        ar.WriteMember("control.tar" + suffix, spec.BuildTime, control);
        ar.WriteMember("data.tar" + suffix, spec.BuildTime, data.Stream.Length, data.Rewind());
    }

    /// <summary>dh_dkms's rule: BUILD_EXCLUSIVE_CONFIG needs dkms 3.0.3-4; everything else works from 2.1.0.0.</summary>
    private static string Depends(PackageSpec spec) =>
        spec.UsesBuildExclusiveConfig ? "dkms (>= 3.0.3-4~)" : "dkms (>= 2.1.0.0)";

    /// <summary>Everything data.tar holds, sorted so that every directory comes before its contents.</summary>
    private static List<PackageEntry> DataEntries(PackageSpec spec, TemplateSet templates, ScriptObject model, string packageName)
    {
        long time = spec.BuildTime;
        string docDirectory = $"usr/share/doc/{packageName}";
        string copyright = TemplateRenderer.Render(templates, CopyrightTemplate, model);
        string changelog = TemplateRenderer.Render(templates, ChangelogTemplate, model);

        // changelog.Debian.gz is gzip -n'd (no name, mtime 0) and always gzip: lintian wants exactly that.
        var entries = new List<PackageEntry>
        {
            PackageEntry.Directory("usr", time),
            PackageEntry.Directory("usr/src", time),
            PackageEntry.Directory("usr/share", time),
            PackageEntry.Directory("usr/share/doc", time),
            PackageEntry.Directory(docDirectory, time),
            PackageEntry.File($"{docDirectory}/copyright", UnixPermissions.Regular, new MemoryContent(copyright), time),
            PackageEntry.File($"{docDirectory}/changelog.Debian.gz", UnixPermissions.Regular, new MemoryContent(Compressor.GzipBytes(Encoding.UTF8.GetBytes(changelog))), time),
        };
        entries.AddRange(spec.SourceEntries);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        // dpkg-deb writes symlinks last so their targets exist when dpkg creates them (src/deb/build.c).
        return [.. entries.Where(e => e.Kind != EntryKind.Symlink), .. entries.Where(e => e.Kind == EntryKind.Symlink)];
    }

    private static DataSummary WriteData(IReadOnlyList<PackageEntry> entries, PackageSpec spec, Stream destination, ProgressCounter progress)
    {
        var md5Sums = new StringBuilder();
#pragma warning disable CA5351 // md5sums is MD5 by definition (deb-md5sums(5)); it detects corruption, it does not secure anything.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351

        // dpkg-gencontrol's Installed-Size: 1 KiB per directory (the root included), ceil(size/1024) per file or link.
        long installedSize = 1;
        using (Stream compressed = Compressor.Create(spec.Compression, spec.CompressionLevel, destination))
        using (var buffered = new BufferedStream(compressed, 1 << 16))
        using (var tar = new TarStreamWriter(buffered))
        {
            tar.WriteDirectory("./", UnixPermissions.Directory, spec.BuildTime);
            foreach (PackageEntry entry in entries)
            {
                string name = "./" + entry.Path;
                switch (entry.Kind)
                {
                    case EntryKind.Directory:
                        tar.WriteDirectory(name + "/", entry.Permissions, entry.ModifiedTime);
                        installedSize += 1;
                        break;
                    case EntryKind.Symlink:
                        tar.WriteSymlink(name, entry.LinkTarget!, entry.ModifiedTime);
                        installedSize += KiB(entry.Size);
                        break;
                    default:
                        using (var content = new HashingReadStream(entry.Content!.Open(), md5))
                        {
                            tar.WriteFile(name, entry.Permissions, entry.ModifiedTime, entry.Size, content);

                            // deb-md5sums(5): "<md5>  <path>" with the path relative to the root.
                            md5Sums.Append(content.HexDigest()).Append("  ").Append(entry.Path).Append('\n');
                        }

                        installedSize += KiB(entry.Size);
                        progress.FileWritten(entry.Size);
                        break;
                }
            }
        }

        return new DataSummary(md5Sums.ToString(), installedSize);
    }

    private static byte[] ControlTar(PackageSpec spec, TemplateSet templates, ScriptObject model, string md5Sums)
    {
        string control = TemplateRenderer.Render(templates, ControlTemplate, model);
        string postinst = TemplateRenderer.Render(templates, PostinstTemplate, model);
        string prerm = TemplateRenderer.Render(templates, PrermTemplate, model);
        DebControlCheck.Validate(control, templates.Origin(ControlTemplate));

        using var buffer = new MemoryStream();
        using (Stream compressed = Compressor.Create(spec.Compression, spec.CompressionLevel, buffer))
        using (var tar = new TarStreamWriter(compressed))
        {
            // Control members: plain files owned by root, scripts 0755, the rest 0644 (lintian control-file-has-bad-permissions).
            tar.WriteDirectory("./", UnixPermissions.Directory, spec.BuildTime);
            tar.WriteFile("./control", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(EnsureFinalNewline(control)));
            tar.WriteFile("./md5sums", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(md5Sums));
            tar.WriteFile("./postinst", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(postinst));
            tar.WriteFile("./prerm", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(prerm));
        }

        return buffer.ToArray();
    }

    private static string EnsureFinalNewline(string text) => text.EndsWith('\n') ? text : text + "\n";

    private static long KiB(long bytes) => (bytes + 1023) / 1024;

    private sealed record DataSummary(string Md5Sums, long InstalledSizeKiB);
}
