using System.Globalization;
using System.Text;

namespace DkmsPack.Archives.Ar;

/// <summary>
/// Writes a common-format ar archive, the container of a .deb (deb(5); dpkg lib/dpkg/ar.c).
/// Members are written in call order, which for a .deb is mandatory: debian-binary, control.tar*, data.tar*.
/// </summary>
public sealed class ArWriter : IDisposable
{
    /// <summary>
    /// The largest member the size field can describe: 10 decimal digits (ar(5), deb(5)), so 9,999,999,999 bytes
    /// (just over 9.3 GiB). There is no larger form that dpkg reads (docs/deb-format.md, "ar").
    /// </summary>
    public const long MaxMemberSize = 9_999_999_999;

    private readonly Stream _output;
    private bool _disposed;

    public ArWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _output.Write(ArLayout.GlobalHeader);
    }

    /// <summary>Writes a member whose bytes are in memory.</summary>
    public void WriteMember(string name, long modifiedTime, ReadOnlySpan<byte> content)
    {
        WriteHeader(name, modifiedTime, content.Length);
        _output.Write(content);
        WritePadding(content.Length);
    }

    /// <summary>Streams a member of <paramref name="size"/> bytes from <paramref name="content"/>.</summary>
    public void WriteMember(string name, long modifiedTime, long size, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        WriteHeader(name, modifiedTime, size);
        StreamCopy.CopyExactly(content, _output, size, name);
        WritePadding(size);
    }

    /// <summary>
    /// Refuses, before anything is written, a member that could not be described: call it with an upper bound of a
    /// member's size (e.g. of data.tar, before the data pass) to fail at once instead of after minutes of work.
    /// </summary>
    /// <exception cref="ArchiveLimitException"><paramref name="size"/> is over <see cref="MaxMemberSize"/>.</exception>
    public static void EnsureMemberFits(string name, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size > MaxMemberSize)
        {
            throw new ArchiveLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"ar member {name} would be {size} bytes, more than the {MaxMemberSize} its header's 10-digit size field holds"));
        }
    }

    public void Dispose()
    {
        // ar has no trailer; nothing to finish, but keep the writer disposable like the other archive writers.
        _disposed = true;
    }

    private void WriteHeader(string name, long modifiedTime, long size)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureMemberFits(name, size);

        // dpkg supports no GNU/BSD long-name extension, so names must fit the 16-byte field.
        if (Encoding.ASCII.GetByteCount(name) > ArLayout.NameLength || name.Length == 0)
        {
            throw new ArgumentException($"ar member name '{name}' must be 1 to {ArLayout.NameLength} ASCII bytes.", nameof(name));
        }

        Span<byte> header = stackalloc byte[ArLayout.HeaderLength];
        header.Fill((byte)' ');
        WriteField(header, ArLayout.Name, ArLayout.NameLength, name);
        WriteField(header, ArLayout.ModifiedTime, ArLayout.ModifiedTimeLength, modifiedTime.ToString(CultureInfo.InvariantCulture));
        WriteField(header, ArLayout.OwnerId, ArLayout.OwnerIdLength, "0");
        WriteField(header, ArLayout.GroupId, ArLayout.GroupIdLength, "0");
        WriteField(header, ArLayout.Mode, ArLayout.ModeLength, ArLayout.RegularFileMode);
        WriteField(header, ArLayout.Size, ArLayout.SizeLength, size.ToString(CultureInfo.InvariantCulture));
        ArLayout.HeaderTerminator.CopyTo(header[ArLayout.Terminator..]);
        _output.Write(header);
    }

    private static void WriteField(Span<byte> header, int offset, int length, string value)
    {
        if (value.Length > length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"'{value}' does not fit the {length}-byte ar header field.");
        }

        Encoding.ASCII.GetBytes(value, header.Slice(offset, length));
    }

    // Member data is aligned to an even offset with a newline (deb(5)).
    private void WritePadding(long size)
    {
        if (size % 2 != 0)
        {
            _output.WriteByte((byte)'\n');
        }
    }
}

/// <summary>The 60-byte ar member header: ASCII fields, space padded (deb(5)).</summary>
internal static class ArLayout
{
    /// <summary>The 8 bytes an archive starts with.</summary>
    public static ReadOnlySpan<byte> GlobalHeader => "!<arch>\n"u8;

    /// <summary>The 2 bytes that end each member header.</summary>
    public static ReadOnlySpan<byte> HeaderTerminator => "`\n"u8;

    public const int Name = 0;
    public const int NameLength = 16;
    public const int ModifiedTime = Name + NameLength;
    public const int ModifiedTimeLength = 12;
    public const int OwnerId = ModifiedTime + ModifiedTimeLength;
    public const int OwnerIdLength = 6;
    public const int GroupId = OwnerId + OwnerIdLength;
    public const int GroupIdLength = 6;
    public const int Mode = GroupId + GroupIdLength;
    public const int ModeLength = 8;
    public const int Size = Mode + ModeLength;
    public const int SizeLength = 10;
    public const int Terminator = Size + SizeLength;
    public const int HeaderLength = Terminator + 2;

    /// <summary>Octal st_mode of a regular 0644 file, what dpkg-deb writes for every member.</summary>
    public const string RegularFileMode = "100644";
}
