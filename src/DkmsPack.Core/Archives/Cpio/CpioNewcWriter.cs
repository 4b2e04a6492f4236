using DkmsPack.Archives;
using System.Buffers;
using System.Globalization;
using System.Text;

namespace DkmsPack.Archives.Cpio;

/// <summary>
/// Writes a cpio "newc" archive (magic 070701) to a stream, one entry at a time, for rpm's payload
/// (docs/rpm-format.md, "Payload"): uid/gid 0, nlink 2 for directories and 1 otherwise (rpmbuild writes 1
/// for directories too; rpm reads neither), checksum 0, device numbers 0, header+name and data each
/// padded to 4 bytes. Disposing the writer appends the <c>TRAILER!!!</c> entry. The writer does no
/// policy: names are written exactly as given (rpm wants <c>./usr/src/...</c>), in the order given.
/// </summary>
/// <remarks>
/// Every numeric field is 8 hex digits, so file sizes, mtimes and inode numbers must not exceed
/// 0xFFFFFFFF: files of 4 GiB or more are out of scope and raise <see cref="ArchiveLimitException"/>
/// before anything of the entry is written (docs/rpm-format.md, "Limits"). Hard links are not supported.
/// </remarks>
public sealed class CpioNewcWriter : IDisposable
{
    /// <summary>The largest file the format can describe (filesize is 8 hex digits).</summary>
    public const long MaxFileSize = CpioNewcLayout.FieldMaxValue;

    private const int DirectoryLinkCount = 2;
    private const int OtherLinkCount = 1;
    private const int SymlinkPermissions = 0x1FF; // 0777, what Linux reports for every symlink

    private static readonly byte[] Zeros = new byte[CpioNewcLayout.Alignment];

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private bool _disposed;
    private bool _faulted;

    /// <param name="output">A writable stream; it need not be seekable.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="output"/> open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not writable.</exception>
    public CpioNewcWriter(Stream output, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The cpio output stream must be writable.", nameof(output));
        }

        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Writes a directory entry (no data).</summary>
    /// <param name="name">Entry name, e.g. <c>./usr/src/foo-1.0</c>.</param>
    /// <param name="mode">Permission bits (07777); the directory type bit 040000 may be included or is added.</param>
    /// <param name="mtime">Seconds since the Unix epoch, 0 to 0xFFFFFFFF.</param>
    /// <param name="ino">Inode number, 0 to 0xFFFFFFFF; unique per entry.</param>
    /// <exception cref="ArchiveLimitException">A field does not fit 8 hex digits.</exception>
    /// <exception cref="ArgumentException">The name is empty or contains NUL, or the mode has other type bits.</exception>
    public void WriteDirectory(ReadOnlySpan<char> name, int mode, long mtime, long ino)
    {
        int fullMode = FullMode(mode, CpioNewcLayout.TypeDirectory, nameof(mode));
        WriteHeader(name, fullMode, mtime, ino, DirectoryLinkCount, fileSize: 0);
    }

    /// <summary>
    /// Writes a regular file, streaming exactly <paramref name="size"/> bytes from <paramref name="content"/>
    /// (which is read to its end and not disposed).
    /// </summary>
    /// <param name="name">Entry name, e.g. <c>./usr/src/foo-1.0/dkms.conf</c>.</param>
    /// <param name="mode">Permission bits (07777); the regular-file type bit 0100000 may be included or is added.</param>
    /// <param name="mtime">Seconds since the Unix epoch, 0 to 0xFFFFFFFF.</param>
    /// <param name="ino">Inode number, 0 to 0xFFFFFFFF.</param>
    /// <param name="size">The content length; at most <see cref="MaxFileSize"/>.</param>
    /// <param name="content">The file's bytes; must yield exactly <paramref name="size"/> bytes.</param>
    /// <exception cref="ArchiveLimitException">A field does not fit 8 hex digits (e.g. a file of 4 GiB or more).</exception>
    /// <exception cref="InvalidDataException">
    /// <paramref name="content"/> was shorter or longer than <paramref name="size"/>; the archive is then
    /// unusable and <see cref="Dispose"/> will not write the trailer.
    /// </exception>
    public void WriteFile(ReadOnlySpan<char> name, int mode, long mtime, long ino, long size, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        int fullMode = FullMode(mode, CpioNewcLayout.TypeRegular, nameof(mode));
        WriteHeader(name, fullMode, mtime, ino, OtherLinkCount, size);
        CopyExactly(name, content, size);
        WritePadding(size);
    }

    /// <summary>Writes a symbolic link; its data is the target path, as cpio and rpm expect.</summary>
    /// <exception cref="ArchiveLimitException">A field does not fit 8 hex digits.</exception>
    /// <exception cref="ArgumentException">The name or target is empty or contains NUL.</exception>
    public void WriteSymlink(ReadOnlySpan<char> name, string target, long mtime, long ino)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A symlink target must not contain NUL.", nameof(target));
        }

        byte[] data = Encoding.UTF8.GetBytes(target);
        WriteHeader(name, CpioNewcLayout.TypeSymlink | SymlinkPermissions, mtime, ino, OtherLinkCount, data.Length);
        _output.Write(data);
        WritePadding(data.Length);
    }

    /// <summary>Writes the <c>TRAILER!!!</c> entry (unless an entry failed half-way) and releases the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_faulted)
            {
                // GNU cpio and rpm both write the trailer with nlink 1 and every other field 0.
                WriteEntryHeader(CpioNewcLayout.TrailerName, mode: 0, mtime: 0, ino: 0, OtherLinkCount, fileSize: 0);
                _output.Flush();
            }
        }
        finally
        {
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }
    }

    // Adds the type bits to bare permissions; accepts them if the caller already included the right ones.
    private static int FullMode(int mode, int typeBits, string paramName)
    {
        int type = mode & CpioNewcLayout.TypeMask;
        if (mode < 0 || (mode & ~(CpioNewcLayout.TypeMask | CpioNewcLayout.PermissionMask)) != 0 || (type != 0 && type != typeBits))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Mode 0{Convert.ToString(mode, 8)} is not permission bits (07777) of this entry type."),
                paramName);
        }

        return typeBits | (mode & CpioNewcLayout.PermissionMask);
    }

    private void WriteHeader(ReadOnlySpan<char> name, int mode, long mtime, long ino, int nlink, long fileSize)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("A previous entry failed half-way; the cpio archive is unusable.");
        }

        if (name.IsEmpty)
        {
            throw new ArgumentException("A cpio entry name must not be empty.", nameof(name));
        }

        if (name.Contains('\0'))
        {
            throw new ArgumentException("A cpio entry name must not contain NUL.", nameof(name));
        }

        // Check every field before writing anything, so a limit error leaves the archive consistent.
        CheckField(name, "ino", ino);
        CheckField(name, "mtime", mtime);
        CheckField(name, "filesize", fileSize);
        WriteEntryHeader(name, mode, mtime, ino, nlink, fileSize);
    }

    private static void CheckField(ReadOnlySpan<char> name, string field, long value)
    {
        if (value < 0 || value > CpioNewcLayout.FieldMaxValue)
        {
            string hint = field == "filesize" ? " Files of 4 GiB or more are not supported." : string.Empty;
            throw new ArchiveLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"cpio newc field '{field}' of '{name.ToString()}' is {value}, outside 0..0xFFFFFFFF (8 hex digits).{hint}"));
        }
    }

    private void WriteEntryHeader(ReadOnlySpan<char> name, int mode, long mtime, long ino, int nlink, long fileSize)
    {
        int nameLength = Encoding.UTF8.GetByteCount(name);
        int nameSize = nameLength + 1; // namesize counts the terminating NUL
        int total = CpioNewcLayout.HeaderLength + nameSize;
        int padded = total + CpioNewcLayout.PaddingAfter(total);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(padded);
        try
        {
            Span<byte> entry = buffer.AsSpan(0, padded);
            entry.Clear();
            Encoding.ASCII.GetBytes(CpioNewcLayout.Magic, entry[..CpioNewcLayout.MagicLength]);
            WriteHex(entry, CpioNewcLayout.Ino, ino);
            WriteHex(entry, CpioNewcLayout.Mode, mode);
            WriteHex(entry, CpioNewcLayout.Uid, 0);
            WriteHex(entry, CpioNewcLayout.Gid, 0);
            WriteHex(entry, CpioNewcLayout.NLink, nlink);
            WriteHex(entry, CpioNewcLayout.MTime, mtime);
            WriteHex(entry, CpioNewcLayout.FileSize, fileSize);
            WriteHex(entry, CpioNewcLayout.DevMajor, 0);
            WriteHex(entry, CpioNewcLayout.DevMinor, 0);
            WriteHex(entry, CpioNewcLayout.RDevMajor, 0);
            WriteHex(entry, CpioNewcLayout.RDevMinor, 0);
            WriteHex(entry, CpioNewcLayout.NameSize, nameSize);
            WriteHex(entry, CpioNewcLayout.Check, 0);
            Encoding.UTF8.GetBytes(name, entry.Slice(CpioNewcLayout.HeaderLength, nameLength));
            _output.Write(entry);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Eight uppercase hex digits, as GNU cpio writes them ("%08X"). rpm writes lower case ("%8.8lx");
    // both read either (docs/rpm-format.md, "Payload").
    private static void WriteHex(Span<byte> entry, int offset, long value)
    {
        uint field = checked((uint)value);
        bool ok = field.TryFormat(entry.Slice(offset, CpioNewcLayout.FieldLength), out int written, "X8", CultureInfo.InvariantCulture);
        System.Diagnostics.Debug.Assert(ok && written == CpioNewcLayout.FieldLength, "a uint always formats to 8 hex digits");
    }

    private void CopyExactly(ReadOnlySpan<char> name, Stream content, long size)
    {
        try
        {
            StreamCopy.CopyExactly(content, _output, size, name);
        }
        catch (InvalidDataException)
        {
            // The entry's header promised a size its data did not keep: no trailer may follow.
            _faulted = true;
            throw;
        }
    }

    private void WritePadding(long dataLength) => _output.Write(Zeros, 0, CpioNewcLayout.PaddingAfter(dataLength));
}
