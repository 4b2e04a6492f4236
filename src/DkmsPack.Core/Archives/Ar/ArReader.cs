using System.Globalization;
using System.Text;
using DkmsPack.IO;

namespace DkmsPack.Archives.Ar;

/// <summary>One member of an ar archive: its name and where its content lies in the archive.</summary>
public sealed record ArMember(string Name, long ModifiedTime, long Size, long DataOffset);

/// <summary>
/// Reads the member headers of a common-format ar archive, the container of a .deb (ar(5), deb(5); the form
/// <see cref="ArWriter"/> writes): the global header <c>!&lt;arch&gt;\n</c>, then for each member a 60-byte
/// header of space-padded ASCII fields ending in <c>`\n</c>, its content, and a <c>\n</c> after odd sizes.
/// Names may end in the <c>/</c> GNU ar adds (dpkg accepts it); the GNU and BSD long-name extensions are
/// not read (dpkg reads neither). The archive must be seekable: contents are skipped, not read, and are
/// opened afterwards with <see cref="Open"/>. Every size is checked against the file's length first, so a
/// damaged header fails with <see cref="InvalidDataException"/> instead of a large allocation.
/// </summary>
public sealed class ArReader
{
    private readonly Stream _archive;

    private ArReader(Stream archive, IReadOnlyList<ArMember> members)
    {
        _archive = archive;
        Members = members;
    }

    /// <summary>The members in archive order.</summary>
    public IReadOnlyList<ArMember> Members { get; }

    /// <summary>Reads every member header of <paramref name="archive"/> (readable and seekable), from its start.</summary>
    /// <param name="archive">The archive; it stays open and owned by the caller.</param>
    /// <param name="maxMembers">More members than this is an error (a .deb has four or five).</param>
    /// <exception cref="InvalidDataException">The archive is not an ar archive, or is damaged or cut short.</exception>
    public static ArReader Read(Stream archive, int maxMembers)
    {
        ArgumentNullException.ThrowIfNull(archive);
        if (!archive.CanRead || !archive.CanSeek)
        {
            throw new ArgumentException("The ar archive must be readable and seekable.", nameof(archive));
        }

        archive.Position = 0;
        Span<byte> magic = stackalloc byte[ArLayout.GlobalHeader.Length];
        if (archive.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !magic.SequenceEqual(ArLayout.GlobalHeader))
        {
            throw new InvalidDataException("not an ar archive (it does not start with !<arch>)");
        }

        var members = new List<ArMember>();
        long length = archive.Length;
        Span<byte> header = stackalloc byte[ArLayout.HeaderLength];
        while (archive.Position < length)
        {
            long headerOffset = archive.Position;
            if (members.Count == maxMembers)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"more than {maxMembers} ar members"));
            }

            if (archive.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the ar member header at offset {headerOffset} is cut short"));
            }

            ArMember member = ParseHeader(header, headerOffset, archive.Position);
            long end = member.DataOffset + member.Size;
            if (member.Size > length - member.DataOffset)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"ar member {member.Name} claims {member.Size} bytes, but the file ends {length - member.DataOffset} bytes after its header"));
            }

            members.Add(member);

            // The padding byte after an odd size may be missing at the very end (dpkg tolerates that).
            archive.Position = Math.Min(length, end + (member.Size % 2));
        }

        return new ArReader(archive, members);
    }

    /// <summary>A read-only stream of one member's content (the archive must stay open while it is read).</summary>
    public Stream Open(ArMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new ReadOnlySubStream(_archive, member.DataOffset, member.Size);
    }

    private static ArMember ParseHeader(ReadOnlySpan<byte> header, long headerOffset, long dataOffset)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $"the ar member header at offset {headerOffset}");
        if (!header[ArLayout.Terminator..].SequenceEqual(ArLayout.HeaderTerminator))
        {
            throw new InvalidDataException(where + " does not end in `\\n");
        }

        string name = Field(header, ArLayout.Name, ArLayout.NameLength);
        if (name.EndsWith('/'))
        {
            name = name[..^1];
        }

        if (name.Length == 0 || name.Any(c => c < ' ' || c > '~'))
        {
            throw new InvalidDataException(where + " has an empty or non-ASCII name");
        }

        long size = Number(Field(header, ArLayout.Size, ArLayout.SizeLength), where, "size");
        string time = Field(header, ArLayout.ModifiedTime, ArLayout.ModifiedTimeLength);
        long modifiedTime = time.Length == 0 ? 0 : Number(time, where, "time");
        return new ArMember(name, modifiedTime, size, dataOffset);
    }

    private static string Field(ReadOnlySpan<byte> header, int offset, int length) =>
        Encoding.Latin1.GetString(header.Slice(offset, length)).TrimEnd(' ');

    // Decimal digits only (ar(5)): no sign, no spaces inside.
    private static long Number(string value, string where, string what)
    {
        if (value.Length == 0 || !value.All(char.IsAsciiDigit) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            throw new InvalidDataException($"{where} has the {what} \"{value}\", not a decimal number");
        }

        return number;
    }
}
