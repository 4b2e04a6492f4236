using System.Security.Cryptography;
using System.Text;
using DkmsPack.Archives.Ar;
using DkmsPack.Archives.Tar;
using DkmsPack.Compression;
using DkmsPack.IO;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// The .deb container every Debian format of dkmspack writes (deb(5)): an ar archive of debian-binary, control.tar
/// and data.tar, in that order, and the debsigs origin signature when signing. data.tar is streamed to a scratch file
/// first, because control.tar (which comes before it) holds the md5sums that only the data pass can tell; control.tar
/// goes to a scratch file of its own, since its md5sums grow with the tree (about 100 bytes per file).
/// </summary>
internal static class DebArchive
{
    private const string FormatVersion = "2.0\n";
    private const string OriginSignatureMember = "_gpgorigin";

    /// <summary>control.tar's members besides md5sums: the control file, the maintainer scripts, the conffiles' paths.</summary>
    public sealed record ControlMembers(string Control, string Postinst, string? Prerm, string? Postrm, IReadOnlyList<string> Conffiles);

    public static void Write(Stream output, PackageSpec spec, IReadOnlyList<PackageEntry> entries, ControlMembers members, ProgressCounter progress, WriteContext context)
    {
        string suffix = Compressor.FileSuffix(spec.Compression);
        using var data = new ScratchFile(context.ScratchDirectory, ".data.tar");
        DebMd5Sums md5Sums = WriteData(entries, spec, data.Stream, progress);
        using var control = new ScratchFile(context.ScratchDirectory, ".control.tar");
        WriteControl(control.Stream, spec, members, md5Sums);

        byte[] debianBinary = Encoding.ASCII.GetBytes(FormatVersion);
        using var ar = new ArWriter(output);
        ar.WriteMember("debian-binary", spec.BuildTime, debianBinary);
        ar.WriteMember("control.tar" + suffix, spec.BuildTime, control.Stream.Length, control.Rewind());
        ar.WriteMember("data.tar" + suffix, spec.BuildTime, data.Stream.Length, data.Rewind());
        if (context.Signer is { } signer)
        {
            ar.WriteMember(OriginSignatureMember, spec.BuildTime, OriginSignature(signer, spec.BuildTime, debianBinary, control.Rewind(), data.Rewind()));
        }
    }

    /// <summary>dpkg-gencontrol's Installed-Size: 1 KiB per directory (the root included), ceil(size/1024) per file or link.</summary>
    public static long InstalledSizeKiB(IReadOnlyList<PackageEntry> entries) =>
        1 + entries.Sum(e => e.Kind == EntryKind.Directory ? 1 : (e.Size + 1023) / 1024);

    /// <summary>
    /// The debsigs origin signature: a binary detached OpenPGP signature (debsigs runs gpg --detach-sign without
    /// --armor) of the members debian-binary, control.tar.* and data.tar.*, concatenated in that order, as
    /// debsig-verify checks it. dpkg itself ignores members whose names start with '_' (deb(5)).
    /// </summary>
    private static byte[] OriginSignature(Signing.SigningKey signer, long time, byte[] debianBinary, Stream control, Stream data)
    {
        using var first = new MemoryStream(debianBinary, writable: false);
        return signer.SignDetached(time, first, control, data);
    }

    /// <summary>Writes data.tar and returns its md5sums.</summary>
    private static DebMd5Sums WriteData(IReadOnlyList<PackageEntry> entries, PackageSpec spec, Stream destination, ProgressCounter progress)
    {
        FileDigests digests;
        using (Stream compressed = Compressor.Create(spec.Compression, spec.CompressionLevel, destination, spec.CompressionExtreme))
        using (var buffered = new BufferedStream(compressed, 1 << 16))
        using (var tar = new DebDataArchive(buffered, spec.BuildTime))
        {
            // md5sums is MD5 by definition (deb-md5sums(5)); it detects corruption, it does not secure anything.
            digests = EntryArchiving.WriteAll(tar, entries, HashAlgorithmName.MD5, progress);
        }

        return new DebMd5Sums(entries, digests);
    }

    /// <summary>Writes control.tar, compressed as data.tar is, to <paramref name="destination"/> (left open).</summary>
    private static void WriteControl(Stream destination, PackageSpec spec, ControlMembers members, DebMd5Sums md5Sums)
    {
        // conffiles (deb-conffiles(5)): one absolute path a line, the files dpkg keeps a user's changes of.
        string conffiles = string.Concat(members.Conffiles.Select(path => "/" + path + "\n"));

        using (Stream compressed = Compressor.Create(spec.Compression, spec.CompressionLevel, destination, spec.CompressionExtreme))
        using (var tar = new TarStreamWriter(compressed))
        {
            // Control members: plain files owned by root, scripts 0755, the rest 0644 (lintian control-file-has-bad-permissions).
            tar.WriteDirectory("./", UnixPermissions.Directory, spec.BuildTime);
            if (conffiles.Length > 0)
            {
                tar.WriteFile("./conffiles", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(conffiles));
            }

            tar.WriteFile("./control", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(EnsureFinalNewline(members.Control)));
            using (Stream sums = md5Sums.Open())
            {
                tar.WriteFile("./md5sums", UnixPermissions.Regular, spec.BuildTime, md5Sums.Length, sums);
            }
            tar.WriteFile("./postinst", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(members.Postinst));
            if (members.Postrm is not null)
            {
                tar.WriteFile("./postrm", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(members.Postrm));
            }

            if (members.Prerm is not null)
            {
                tar.WriteFile("./prerm", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(members.Prerm));
            }
        }
    }

    private static string EnsureFinalNewline(string text) => text.EndsWith('\n') ? text : text + "\n";
}
