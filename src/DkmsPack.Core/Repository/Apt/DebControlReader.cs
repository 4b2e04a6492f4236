using System.Globalization;
using System.IO.Compression;
using System.Text;
using DkmsPack.Archives.Ar;
using DkmsPack.Archives.Tar;

namespace DkmsPack.Repository.Apt;

/// <summary>
/// Reads the control paragraph of any .deb (deb(5)): the <c>control</c> file of its <c>control.tar</c> member,
/// uncompressed or compressed with gzip, xz or zstd. Only that member is read: the ar headers are skipped by
/// seeking, and the data member is never opened, so reading a 1 GiB package costs a few KiB.
/// </summary>
public static class DebControlReader
{
    /// <summary>dpkg-deb's own limit for control files is far smaller; a cap keeps a hostile member from filling memory.</summary>
    private const int MaxControlBytes = 1 << 20;

    /// <summary>A control.tar holds a handful of files (control, md5sums, scripts, conffiles, triggers…).</summary>
    private const int MaxControlTarEntries = 1000;

    private const int MaxMembers = 16;

    /// <summary>The paragraph of <paramref name="debFile"/>'s control file.</summary>
    /// <exception cref="InvalidDataException">It is not a .deb, or its control file is missing or malformed; the message says which.</exception>
    public static Deb822Paragraph Read(string debFile)
    {
        using var file = new FileStream(debFile, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        ArReader archive = ArReader.Read(file, MaxMembers);
        IReadOnlyList<ArMember> members = archive.Members;
        if (members.Count < 3 || members[0].Name != "debian-binary")
        {
            throw new InvalidDataException("not a .deb (its first ar member is not debian-binary)");
        }

        using (Stream version = archive.Open(members[0]))
        {
            Span<byte> major = stackalloc byte[2];
            if (version.ReadAtLeast(major, 2, throwOnEndOfStream: false) != 2 || !major.SequenceEqual("2."u8))
            {
                throw new InvalidDataException("not a format 2.x .deb (debian-binary does not start with 2.)");
            }
        }

        ArMember control = members[1];
        if (!control.Name.StartsWith("control.tar", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"not a .deb (its second ar member is {control.Name}, not control.tar)");
        }

        using Stream member = archive.Open(control);
        using Stream tar = Decompress(member, control.Name);
        byte[] text = FindControlFile(tar);
        string content;
        try
        {
            content = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(text);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException("its control file is not UTF-8 (deb-control(5))");
        }

        List<(Deb822Paragraph Paragraph, int Line)> paragraphs;
        try
        {
            paragraphs = Deb822.Parse(content);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException("its control file: " + ex.Message);
        }

        return paragraphs.Count == 1
            ? paragraphs[0].Paragraph
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"its control file holds {paragraphs.Count} paragraphs, not 1"));
    }

    private static Stream Decompress(Stream member, string name) => Path.GetExtension(name) switch
    {
        ".tar" => member,
        ".gz" => new GZipStream(member, CompressionMode.Decompress, leaveOpen: true),
        ".zst" => new ZstdSharp.DecompressionStream(member, leaveOpen: true),
        ".xz" => new SharpCompress.Compressors.Xz.XZStream(member),
        _ => throw new InvalidDataException($"its control member {name} is compressed in a way dpkg does not know"),
    };

    /// <summary>Walks the tar headers (POSIX ustar, GNU and pax forms) to <c>./control</c> and returns its bytes.</summary>
    private static byte[] FindControlFile(Stream tar)
    {
        byte[] header = new byte[TarLayout.BlockSize];
        string? longName = null;
        string? paxPath = null;
        for (int entries = 0; entries < MaxControlTarEntries; entries++)
        {
            if (tar.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length || header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }

            long size = Number(header.AsSpan(TarLayout.Size, TarLayout.SizeLength));
            byte type = header[TarLayout.TypeFlag];
            string name = longName ?? paxPath ?? Name(header);
            longName = null;
            if (type is TarLayout.TypeGnuLongName or PaxExtended)
            {
                byte[] data = ReadData(tar, size);
                if (type == TarLayout.TypeGnuLongName)
                {
                    longName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                }
                else
                {
                    paxPath = PaxPath(data);
                }

                continue;
            }

            paxPath = null;
            if (type is TarLayout.TypeRegular or 0 && name is "./control" or "control")
            {
                return ReadData(tar, size);
            }

            Skip(tar, size);
        }

        throw new InvalidDataException("its control.tar has no ./control file");
    }

    private const byte PaxExtended = (byte)'x';

    private static byte[] ReadData(Stream tar, long size)
    {
        if (size > MaxControlBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"its control.tar has an entry of {size} bytes, more than the 1 MiB a control file may have here"));
        }

        byte[] data = new byte[size];
        tar.ReadExactly(data);
        Skip(tar, Padding(size));
        return data;
    }

    private static void Skip(Stream tar, long size)
    {
        long remaining = size + Padding(size);
        byte[] buffer = new byte[Math.Min(remaining, 1 << 16)];
        while (remaining > 0)
        {
            int read = tar.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                throw new InvalidDataException("its control.tar is cut short");
            }

            remaining -= read;
        }
    }

    private static long Padding(long size) => (TarLayout.BlockSize - (size % TarLayout.BlockSize)) % TarLayout.BlockSize;

    private static string Name(byte[] header)
    {
        ReadOnlySpan<byte> name = header.AsSpan(TarLayout.Name, TarLayout.NameLength);
        int nul = name.IndexOf((byte)0);
        string text = Encoding.UTF8.GetString(nul < 0 ? name : name[..nul]);

        // POSIX ustar: a prefix field (offset 345, 155 bytes) holds the leading directories of long names.
        if (header.AsSpan(TarLayout.Magic, 5).SequenceEqual("ustar"u8) && header[UstarPrefix] != 0)
        {
            ReadOnlySpan<byte> prefix = header.AsSpan(UstarPrefix, UstarPrefixLength);
            int end = prefix.IndexOf((byte)0);
            text = Encoding.UTF8.GetString(end < 0 ? prefix : prefix[..end]) + "/" + text;
        }

        return text;
    }

    private const int UstarPrefix = 345;
    private const int UstarPrefixLength = 155;

    private static string? PaxPath(byte[] records)
    {
        // Records are "LENGTH key=value\n" (POSIX pax, "pax Extended Header").
        foreach (string record in Encoding.UTF8.GetString(records).Split('\n'))
        {
            int space = record.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && record.AsSpan(space + 1).StartsWith("path="))
            {
                return record[(space + 1 + "path=".Length)..];
            }
        }

        return null;
    }

    /// <summary>An octal field, or GNU base-256 for large sizes.</summary>
    private static long Number(ReadOnlySpan<byte> field)
    {
        if (field[0] == TarLayout.Base256Positive)
        {
            long value = 0;
            foreach (byte b in field[1..])
            {
                value = checked((value << 8) | b);
            }

            return value;
        }

        string text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        try
        {
            return text.Length == 0 ? 0 : Convert.ToInt64(text, 8);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"its control.tar has a header with the size \"{text}\", not an octal number", ex);
        }
    }
}
