using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.IO;
using DkmsPack.Packaging.Arch;

namespace DkmsPack.Verification;

/// <summary>
/// Checks an Arch package as pacman would, without pacman (docs/arch-format.md, "Verifying"): the detached binary
/// signature <c>PACKAGE.sig</c> beside it, over the whole file (what libalpm hands GPGME), and the package's own
/// .MTREE against its entries: every path listed once and present, with the listed type, mode, owner, time, size,
/// MD5 and SHA-256 (what <c>pacman -Qkk</c> compares once installed). The archive is streamed, zstd, gzip, xz or
/// plain, told apart by their magic numbers as libarchive does; only the .MTREE text is held in memory.
/// </summary>
internal static class ArchVerifier
{
    /// <summary>The names pacman's packages have (makepkg's PKGEXT); the .sig may be given for its package.</summary>
    private static readonly string[] PackageSuffixes = [".pkg.tar.zst", ".pkg.tar.gz", ".pkg.tar.xz", ".pkg.tar"];

    /// <summary>An OpenPGP signature is a few hundred bytes; anything far larger is not one.</summary>
    private const int MaxSignatureBytes = 64 * 1024;

    /// <summary>A .MTREE line is about 200 bytes; 64 MiB is some 300,000 paths, far more than a module's sources.</summary>
    private const int MaxMtreeBytes = 64 << 20;

    private const int MaxEntries = 1 << 20;

    /// <summary>How many mismatching paths one line names before it says how many more there are.</summary>
    private const int MaxNamedMismatches = 3;

    private const string MtreeName = ".MTREE";
    private const string PkgInfoName = ".PKGINFO";

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    public static bool Handles(string path)
    {
        string name = Path.GetFileName(path);
        string package = name.EndsWith(ArchPackageFormat.SignatureSuffix, StringComparison.Ordinal) ? name[..^ArchPackageFormat.SignatureSuffix.Length] : name;
        return PackageSuffixes.Any(s => package.EndsWith(s, StringComparison.Ordinal) && package.Length > s.Length);
    }

    public static string Verify(string path, VerificationKeys keys)
    {
        string package = path.EndsWith(ArchPackageFormat.SignatureSuffix, StringComparison.Ordinal) ? path[..^ArchPackageFormat.SignatureSuffix.Length] : path;
        FileKind kind = FileStatusReader.Stat(package).Kind;
        if (kind != FileKind.Regular)
        {
            throw new VerificationException(kind == FileKind.Missing ? $"no package: {package} does not exist" : $"{package} is not a regular file", VerificationRemedy.Damaged);
        }

        var checkedParts = new List<string>();
        var findings = new Findings();
        CheckSignature(package, keys, checkedParts, findings);
        CheckMtree(package, checkedParts, findings);
        return findings.ThrowOr(checkedParts);
    }

    private static void CheckSignature(string package, VerificationKeys keys, List<string> checkedParts, Findings findings)
    {
        string signaturePath = package + ArchPackageFormat.SignatureSuffix;
        byte[] signature;
        try
        {
            signature = ChecksumsVerifier.ReadSmall(signaturePath, MaxSignatureBytes, "no signature", VerificationRemedy.Unsigned);
        }
        catch (VerificationException ex)
        {
            findings.Add(ex.Message, ex.Remedy ?? VerificationRemedy.Damaged);
            return;
        }

        // GPGME would read armour, but libalpm parses the packet itself first and repo-add refuses armour.
        if (Signing.OpenPgpArmor.LooksArmored(signature))
        {
            findings.Add($"{Path.GetFileName(signaturePath)} is ASCII-armoured, and pacman and repo-add want a binary signature", VerificationRemedy.Damaged);
            return;
        }

        using FileStream file = PackageVerifier.OpenRegular(package);
        DetachedSignature.Check(keys, signature, [file], $"signature ({Path.GetFileName(signaturePath)})", "the package", checkedParts, findings);
    }

    /// <summary>What the archive holds for one path, measured as it streamed past.</summary>
    private sealed record Observed(string Type, int Mode, long Time, long Size, string? Md5, string? Sha256, string? Link, int Uid, int Gid);

    private static void CheckMtree(string package, List<string> checkedParts, Findings findings)
    {
        var observed = new Dictionary<string, Observed>(StringComparer.Ordinal);
        string? mtreeText = null;
        try
        {
            using FileStream file = PackageVerifier.OpenRegular(package);
            using Stream tar = Decompress(file);
            using var reader = new TarReader(tar, leaveOpen: true);
            for (int count = 0; reader.GetNextEntry(copyData: false) is { } entry; count++)
            {
                if (count >= MaxEntries)
                {
                    throw new VerificationException(string.Create(CultureInfo.InvariantCulture, $"holds more than {MaxEntries} entries, which no package dkmspack writes does"), VerificationRemedy.Damaged);
                }

                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                string name = Normalize(entry.Name);
                if (name == MtreeName)
                {
                    mtreeText = mtreeText is null ? ReadMtree(entry) : throw new VerificationException("has two .MTREE entries", VerificationRemedy.Damaged);
                    continue;
                }

                if (!observed.TryAdd(name, Observe(entry)))
                {
                    throw new VerificationException($"holds \"{name}\" twice", VerificationRemedy.Damaged);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException or OverflowException or EndOfStreamException or ZstdSharp.ZstdException or SharpCompress.Common.ArchiveException)
        {
            findings.Add($"is not a readable package archive ({OneLine(ex.Message)})", VerificationRemedy.Damaged);
            return;
        }

        if (!observed.ContainsKey(PkgInfoName))
        {
            findings.Add("has no .PKGINFO, which pacman needs", VerificationRemedy.Damaged);
        }

        if (mtreeText is null)
        {
            findings.Add("has no .MTREE to check its files against", VerificationRemedy.Damaged);
            return;
        }

        IReadOnlyList<ArchMtreeEntry> listed;
        try
        {
            listed = ArchMtreeReader.Read(mtreeText);
        }
        catch (InvalidDataException ex)
        {
            findings.Add(OneLine(ex.Message), VerificationRemedy.Damaged);
            return;
        }

        var mismatches = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ArchMtreeEntry entry in listed)
        {
            if (!seen.Add(entry.Path))
            {
                mismatches.Add($"{Display(entry.Path)} is listed twice");
            }
            else if (!observed.TryGetValue(entry.Path, out Observed? actual))
            {
                mismatches.Add($"{Display(entry.Path)} is listed but not in the package");
            }
            else if (Difference(entry, actual) is { } difference)
            {
                mismatches.Add($"{Display(entry.Path)}: {difference} does not match");
            }
        }

        mismatches.AddRange(observed.Keys.Where(name => !seen.Contains(name)).Order(StringComparer.Ordinal).Select(name => $"{Display(name)} is not listed"));
        if (mismatches.Count > 0)
        {
            string named = string.Join("; ", mismatches.Take(MaxNamedMismatches));
            string more = mismatches.Count > MaxNamedMismatches ? string.Create(CultureInfo.InvariantCulture, $"; and {mismatches.Count - MaxNamedMismatches} more") : string.Empty;
            findings.Add($".MTREE (BAD): {named}{more}", VerificationRemedy.Changed);
            return;
        }

        checkedParts.Add(string.Create(CultureInfo.InvariantCulture, $".MTREE: {listed.Count} paths, type, mode, owner, time, size, MD5 and SHA256 match"));
    }

    /// <summary>The first keyword that differs, in pacman -Qkk's order of checks; null when all listed ones hold.</summary>
    private static string? Difference(ArchMtreeEntry listed, Observed actual)
    {
        if (listed.Type != actual.Type)
        {
            return "type";
        }

        // A symbolic link's own mode means nothing on Linux; pacman -Qkk does not compare it.
        if (listed.Mode is { } mode && actual.Type != "link" && mode != actual.Mode)
        {
            return "mode";
        }

        if ((listed.Uid is { } uid && uid != actual.Uid) || (listed.Gid is { } gid && gid != actual.Gid))
        {
            return "owner";
        }

        if (listed.Time is { } time && time != actual.Time)
        {
            return "time";
        }

        if (actual.Type == "file")
        {
            if (listed.Size is { } size && size != actual.Size)
            {
                return "size";
            }

            if (listed.Sha256 is { } sha256 && !string.Equals(sha256, actual.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return "SHA256";
            }

            if (listed.Md5 is { } md5 && !string.Equals(md5, actual.Md5, StringComparison.OrdinalIgnoreCase))
            {
                return "MD5";
            }
        }

        return actual.Type == "link" && listed.Link != actual.Link ? "link target" : null;
    }

    // ALPM-MTREE(5) lists MD5 beside SHA-256, and pacman compares both; MD5 is no security measure here.
#pragma warning disable CA5351
    private static Observed Observe(TarEntry entry)
    {
        int mode = (int)entry.Mode & 0xFFF;
        long time = entry.ModificationTime.ToUnixTimeSeconds();
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
                using (var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    long size = 0;
                    if (entry.DataStream is { } data)
                    {
                        byte[] buffer = new byte[1 << 16];
                        for (int read; (read = data.Read(buffer, 0, buffer.Length)) > 0; size += read)
                        {
                            md5.AppendData(buffer, 0, read);
                            sha256.AppendData(buffer, 0, read);
                        }
                    }

                    return new Observed("file", mode, time, size, Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()), null, entry.Uid, entry.Gid);
                }

            case TarEntryType.Directory:
                return new Observed("dir", mode, time, 0, null, null, null, entry.Uid, entry.Gid);
            case TarEntryType.SymbolicLink:
                return new Observed("link", mode, time, 0, null, null, entry.LinkName, entry.Uid, entry.Gid);
            default:
                throw new VerificationException($"holds \"{Display(Normalize(entry.Name))}\" of the tar type {entry.EntryType}, which no package dkmspack writes holds", VerificationRemedy.Damaged);
        }
    }
#pragma warning restore CA5351

    /// <summary>The .MTREE's text: gzip'd as makepkg writes it (or plain, which libarchive also reads), at most <see cref="MaxMtreeBytes"/>.</summary>
    private static string ReadMtree(TarEntry entry)
    {
        if (entry.DataStream is not { } data)
        {
            return string.Empty;
        }

        byte[] first = new byte[GzipMagic.Length];
        int got = data.ReadAtLeast(first, first.Length, throwOnEndOfStream: false);
        using var rest = new MemoryStream();
        rest.Write(first, 0, got);
        data.CopyTo(rest);
        rest.Position = 0;
        using Stream text = got == first.Length && first.AsSpan().SequenceEqual(GzipMagic) ? new GZipStream(rest, CompressionMode.Decompress) : rest;
        using var plain = new MemoryStream();
        byte[] buffer = new byte[1 << 16];
        for (int read; (read = text.Read(buffer, 0, buffer.Length)) > 0;)
        {
            if (plain.Length + read > MaxMtreeBytes)
            {
                throw new VerificationException(string.Create(CultureInfo.InvariantCulture, $"its .MTREE is larger than {MaxMtreeBytes >> 20} MiB"), VerificationRemedy.Damaged);
            }

            plain.Write(buffer, 0, read);
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(plain.GetBuffer(), 0, (int)plain.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException("its .MTREE is not text");
        }
    }

    /// <summary>The archive decompressed, by its magic number (libarchive's filters do the same for pacman).</summary>
    private static Stream Decompress(FileStream file)
    {
        Span<byte> magic = stackalloc byte[XzMagic.Length];
        int got = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        ReadOnlySpan<byte> start = magic[..got];
        if (start.StartsWith(ZstdMagic))
        {
            return new ZstdSharp.DecompressionStream(file, leaveOpen: true);
        }

        if (start.StartsWith(GzipMagic))
        {
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        }

        return start.StartsWith(XzMagic) ? new SharpCompress.Compressors.Xz.XZStream(file) : file;
    }

    /// <summary>A tar name as the .MTREE has it: no leading ./, no trailing / on a directory.</summary>
    private static string Normalize(string name)
    {
        string path = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        return path.TrimEnd('/');
    }

    /// <summary>A path for a one-line message: control characters shown as escapes.</summary>
    private static string Display(string path) => OneLine(path);

    private static string OneLine(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                line.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                line.Append(c);
            }
        }

        return line.ToString().TrimEnd('.');
    }
}
