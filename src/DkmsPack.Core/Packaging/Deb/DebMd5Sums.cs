using System.Text;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// control.tar's md5sums (deb-md5sums(5)): "MD5  PATH\n" for each file, the path relative to the root. Its length is
/// known from the paths alone, and its lines are made as control.tar reads them, so a tree of many files never holds
/// the whole text (nor its UTF-8 copy) in memory.
/// </summary>
internal sealed class DebMd5Sums : IEntryContent
{
    private const string Separator = "  ";

    private readonly IReadOnlyList<PackageEntry> _entries;
    private readonly FileDigests _digests;

    public DebMd5Sums(IReadOnlyList<PackageEntry> entries, FileDigests digests)
    {
        _entries = entries;
        _digests = digests;
        long length = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            if (IsListed(entries[i]))
            {
                length += LineLength(entries[i]);
            }
        }

        Length = length;
    }

    public long Length { get; }

    public Stream Open() => new LineReader(this);

    /// <summary>Conffiles are left out, as dh_md5sums does: dpkg keeps their hashes in its conffile database.</summary>
    private static bool IsListed(PackageEntry entry) => entry.Kind == EntryKind.File && !entry.IsConfig;

    private int LineLength(PackageEntry entry) => _digests.HexLength + Separator.Length + Encoding.UTF8.GetByteCount(entry.Path) + 1;

    /// <summary>Reads the text one line at a time.</summary>
    private sealed class LineReader(DebMd5Sums sums) : IO.ReadOnlyStream
    {
        private byte[] _line = [];
        private int _lineLength;
        private int _lineOffset;
        private int _next;

        public override long Length => sums.Length;

        public override int Read(Span<byte> buffer)
        {
            int written = 0;
            while (written < buffer.Length && (_lineOffset < _lineLength || NextLine()))
            {
                int chunk = Math.Min(buffer.Length - written, _lineLength - _lineOffset);
                _line.AsSpan(_lineOffset, chunk).CopyTo(buffer[written..]);
                _lineOffset += chunk;
                written += chunk;
            }

            return written;
        }

        private bool NextLine()
        {
            while (_next < sums._entries.Count && !IsListed(sums._entries[_next]))
            {
                _next++;
            }

            if (_next == sums._entries.Count)
            {
                return false;
            }

            PackageEntry entry = sums._entries[_next];
            int length = sums.LineLength(entry);
            if (_line.Length < length)
            {
                _line = new byte[Math.Max(length, 2 * _line.Length)];
            }

            int hex = sums._digests.HexLength;
            sums._digests.WriteHexUtf8(_next, _line);
            Encoding.ASCII.GetBytes(Separator, _line.AsSpan(hex));
            int pathBytes = Encoding.UTF8.GetBytes(entry.Path, _line.AsSpan(hex + Separator.Length));
            _line[hex + Separator.Length + pathBytes] = (byte)'\n';
            _lineLength = length;
            _lineOffset = 0;
            _next++;
            return true;
        }
    }
}
