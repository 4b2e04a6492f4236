using System.Text;

namespace DkmsPack.Archives.Tar;

/// <summary>
/// Writes a GNU-format tar stream the way dpkg-deb does (<c>tar --format=gnu</c>): every entry owned by
/// root:root (uid/gid 0, names "root"), explicit modes and mtimes, long names as GNU 'K'/'L' records, sizes of
/// 8 GiB and more (and mtimes outside octal's range) in GNU base-256 (docs/deb-format.md, "Tar members").
/// Never PAX: dpkg rejects PAX headers ("unsupported PAX tar header type 'x'", lib/dpkg/tarfn.c).
/// </summary>
public sealed class TarStreamWriter : IDisposable
{
    private const string RootName = "root";
    private const string LongNameEntryName = "././@LongLink";

    private readonly Stream _output;
    private readonly byte[] _header = new byte[TarLayout.BlockSize];
    private byte[] _nameBytes = new byte[TarLayout.BlockSize];
    private byte[] _linkBytes = new byte[TarLayout.BlockSize];
    private bool _disposed;

    public TarStreamWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes of the end-of-archive marker that <see cref="Dispose"/> writes.</summary>
    public const long EndLength = 2 * TarLayout.BlockSize;

    /// <summary>
    /// The exact number of bytes one entry takes in the archive: its long-name records, its header and its data
    /// padded to 512. With <see cref="EndLength"/> this sizes an uncompressed archive before it is written.
    /// </summary>
    public static long EntryLength(ReadOnlySpan<char> name, string? linkTarget, long size)
    {
        static long LongRecord(int length, int fieldLength) =>
            length > fieldLength ? TarLayout.BlockSize + Padded(length + 1) : 0;

        return LongRecord(Encoding.UTF8.GetByteCount(name), TarLayout.NameLength)
            + (linkTarget is null ? 0 : LongRecord(Encoding.UTF8.GetByteCount(linkTarget), TarLayout.LinkNameLength))
            + TarLayout.BlockSize + Padded(size);
    }

    /// <summary>Writes a directory entry; <paramref name="name"/> should end with '/' as dpkg-deb's do.</summary>
    public void WriteDirectory(ReadOnlySpan<char> name, int permissions, long modifiedTime) =>
        WriteHeader(name, TarLayout.TypeDirectory, permissions, 0, modifiedTime, linkTarget: null);

    /// <summary>Writes a regular file whose bytes are in memory.</summary>
    public void WriteFile(ReadOnlySpan<char> name, int permissions, long modifiedTime, ReadOnlySpan<byte> content)
    {
        WriteHeader(name, TarLayout.TypeRegular, permissions, content.Length, modifiedTime, linkTarget: null);
        _output.Write(content);
        WritePadding(content.Length);
    }

    /// <summary>Streams a regular file of exactly <paramref name="size"/> bytes.</summary>
    public void WriteFile(ReadOnlySpan<char> name, int permissions, long modifiedTime, long size, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        WriteHeader(name, TarLayout.TypeRegular, permissions, size, modifiedTime, linkTarget: null);
        StreamCopy.CopyExactly(content, _output, size, name);
        WritePadding(size);
    }

    /// <summary>Writes a symbolic link; tar stores the target in the header, with no data.</summary>
    public void WriteSymlink(ReadOnlySpan<char> name, string target, long modifiedTime) =>
        WriteHeader(name, TarLayout.TypeSymlink, 0b111_111_111, 0, modifiedTime, target);

    /// <summary>Finishes the archive with the two zero blocks of the end-of-archive marker.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Array.Clear(_header);
        _output.Write(_header);
        _output.Write(_header);
    }

    private void WriteHeader(ReadOnlySpan<char> name, byte type, int permissions, long size, long modifiedTime, string? linkTarget)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadOnlySpan<byte> nameBytes = Encode(name, ref _nameBytes);
        ReadOnlySpan<byte> linkBytes = linkTarget is null ? [] : Encode(linkTarget, ref _linkBytes);

        // Names and targets longer than their fields go first in GNU long-name records, which dpkg
        // has read since 1.4.1.17; the header itself then carries a truncated copy. The link record comes
        // before the name record, in the order GNU tar (and System.Formats.Tar) write them.
        if (linkBytes.Length > TarLayout.LinkNameLength)
        {
            WriteLongRecord(TarLayout.TypeGnuLongLink, linkBytes);
        }

        if (nameBytes.Length > TarLayout.NameLength)
        {
            WriteLongRecord(TarLayout.TypeGnuLongName, nameBytes);
        }

        FillHeader(nameBytes, type, permissions, size, modifiedTime, linkBytes);
        _output.Write(_header);
    }

    /// <summary>
    /// <paramref name="value"/> in UTF-8, in a buffer kept for the next entry: the name is copied into the header (or
    /// a long-name record) at once, and a new array per entry would be garbage on every file of the tree.
    /// </summary>
    private static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> value, ref byte[] buffer)
    {
        int length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > buffer.Length)
        {
            buffer = new byte[Math.Max(length, 2 * buffer.Length)];
        }

        return buffer.AsSpan(0, Encoding.UTF8.GetBytes(value, buffer));
    }

    private void WriteLongRecord(byte type, ReadOnlySpan<byte> longValue)
    {
        // The record's data is the full value plus a terminating NUL, as GNU tar writes it.
        FillHeader(Encoding.ASCII.GetBytes(LongNameEntryName), type, 0, longValue.Length + 1, 0, []);
        _output.Write(_header);
        _output.Write(longValue);
        _output.WriteByte(0);
        WritePadding(longValue.Length + 1);
    }

    private void FillHeader(ReadOnlySpan<byte> name, byte type, int permissions, long size, long modifiedTime, ReadOnlySpan<byte> linkName)
    {
        Span<byte> header = _header;
        header.Clear();
        CopyTruncated(name, header.Slice(TarLayout.Name, TarLayout.NameLength));
        TarLayout.WriteOctal(header.Slice(TarLayout.Mode, TarLayout.ModeLength), permissions);
        TarLayout.WriteOctal(header.Slice(TarLayout.OwnerId, TarLayout.OwnerIdLength), 0);
        TarLayout.WriteOctal(header.Slice(TarLayout.GroupId, TarLayout.GroupIdLength), 0);
        TarLayout.WriteNumber(header.Slice(TarLayout.Size, TarLayout.SizeLength), size);
        TarLayout.WriteNumber(header.Slice(TarLayout.ModifiedTime, TarLayout.ModifiedTimeLength), modifiedTime);
        header[TarLayout.TypeFlag] = type;
        CopyTruncated(linkName, header.Slice(TarLayout.LinkName, TarLayout.LinkNameLength));
        TarLayout.GnuMagic.CopyTo(header[TarLayout.Magic..]);
        Encoding.ASCII.GetBytes(RootName, header.Slice(TarLayout.OwnerName, TarLayout.OwnerNameLength));
        Encoding.ASCII.GetBytes(RootName, header.Slice(TarLayout.GroupName, TarLayout.GroupNameLength));

        // The checksum is computed with its own field read as eight spaces (POSIX ustar).
        header.Slice(TarLayout.Checksum, TarLayout.ChecksumLength).Fill((byte)' ');
        int checksum = 0;
        foreach (byte b in header)
        {
            checksum += b;
        }

        TarLayout.WriteOctal(header.Slice(TarLayout.Checksum, TarLayout.ChecksumLength - 1), checksum);
    }

    private static void CopyTruncated(ReadOnlySpan<byte> value, Span<byte> field) =>
        value[..Math.Min(value.Length, field.Length)].CopyTo(field);

    private static long Padded(long size) => (size + TarLayout.BlockSize - 1) / TarLayout.BlockSize * TarLayout.BlockSize;

    private void WritePadding(long size)
    {
        int remainder = (int)(size % TarLayout.BlockSize);
        if (remainder != 0)
        {
            _output.Write(TarLayout.ZeroBlock[..(TarLayout.BlockSize - remainder)]);
        }
    }
}
