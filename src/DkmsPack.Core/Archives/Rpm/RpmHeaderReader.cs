using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DkmsPack.Archives.Rpm;

/// <summary>One index entry of a parsed header; <see cref="Offset"/> and <see cref="Length"/> are relative to the data area.</summary>
public readonly record struct RpmHeaderEntry(RpmTag Tag, RpmTagType Type, int Offset, int Count, int Length);

/// <summary>
/// A read-only view of one serialized header (signature or main), validated with the rules rpm applies
/// to package files (lib/header.cc hdrblobInit, hdrblobVerifyRegion, hdrblobVerifyInfo, hdrblobImport;
/// docs/rpm-format.md, "Header structure"): magic, size limits, a region entry first whose trailer makes
/// the region cover the whole header (<c>ril == il &amp;&amp; rdl == dl</c>), tags at least 100 and strictly
/// ascending (stricter than rpm, which sorts on load), valid types and counts, alignment, data laid out
/// in index order with exactly rpm's padding and no overlap with the trailer, and registered tag types.
/// Meant for round-trip tests and self-checks, not for untrusted input at scale.
/// </summary>
public sealed class RpmHeaderReader
{
    private readonly byte[] _bytes;
    private readonly int _dataStart;
    private readonly Dictionary<RpmTag, RpmHeaderEntry> _byTag;

    private RpmHeaderReader(byte[] bytes, RpmTag regionTag, int dataStart, List<RpmHeaderEntry> entries)
    {
        _bytes = bytes;
        RegionTag = regionTag;
        _dataStart = dataStart;
        Entries = entries;
        _byTag = entries.ToDictionary(e => e.Tag);
    }

    /// <summary>62 for a signature header, 63 for a main header.</summary>
    public RpmTag RegionTag { get; }

    /// <summary>The header's bytes, from the magic to the end of the data (what the header digests cover).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The entries in index order, without the region entry.</summary>
    public IReadOnlyList<RpmHeaderEntry> Entries { get; }

    /// <summary>
    /// The total length of a header whose first 16 bytes (magic, il, dl) are <paramref name="intro"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The magic is wrong.</exception>
    public static long LengthFromIntro(ReadOnlySpan<byte> intro)
    {
        if (intro.Length < RpmHeaderLayout.IntroLength || !intro[..RpmHeaderLayout.IntroMagicLength].SequenceEqual(RpmHeaderLayout.Magic))
        {
            throw new InvalidDataException("rpm header: bad magic (expected 8E AD E8 01 00 00 00 00).");
        }

        long il = BinaryPrimitives.ReadUInt32BigEndian(intro[RpmHeaderLayout.IntroIndexCount..]);
        long dl = BinaryPrimitives.ReadUInt32BigEndian(intro[RpmHeaderLayout.IntroDataLength..]);
        return RpmHeaderLayout.IntroLength + (il * RpmHeaderLayout.EntryLength) + dl;
    }

    /// <summary>Parses and validates a header.</summary>
    /// <param name="header">Exactly the header's bytes, magic included.</param>
    /// <param name="regionTag">The region tag it must have: 62 (signature) or 63 (main).</param>
    /// <exception cref="InvalidDataException">The header breaks one of rpm's rules; the message says which.</exception>
    public static RpmHeaderReader Parse(ReadOnlySpan<byte> header, RpmTag regionTag)
    {
        bool signature = regionTag == RpmTag.HeaderSignatures;
        long length = LengthFromIntro(header);
        int il = BinaryPrimitives.ReadInt32BigEndian(header[RpmHeaderLayout.IntroIndexCount..]);
        int dl = BinaryPrimitives.ReadInt32BigEndian(header[RpmHeaderLayout.IntroDataLength..]);
        int maxIl = signature ? RpmHeaderLayout.MaxSignatureIndexCount : RpmHeaderLayout.MaxIndexCount;
        int maxDl = signature ? RpmHeaderLayout.MaxSignatureDataLength : RpmHeaderLayout.MaxDataLength;
        Require(il >= 1 && il <= maxIl, $"il {il} outside 1..{maxIl}");
        Require(dl >= 0 && dl <= maxDl, $"dl {dl} outside 0..{maxDl}");
        Require(length == header.Length, $"length {header.Length} but 16 + 16 × il + dl = {length}");

        int dataStart = RpmHeaderLayout.IntroLength + (il * RpmHeaderLayout.EntryLength);
        ReadOnlySpan<byte> index = header[RpmHeaderLayout.IntroLength..dataStart];
        ReadOnlySpan<byte> data = header[dataStart..];

        // Region entry and its trailer (hdrblobVerifyRegion).
        (int regionTagValue, int regionType, int regionOffset, int regionCount) = ReadEntry(index);
        Require(regionTagValue == (int)regionTag, $"first tag is {regionTagValue}, expected region tag {(int)regionTag}");
        Require(regionType == (int)RpmTagType.Bin && regionCount == RpmHeaderLayout.RegionTrailerLength, $"region entry type {regionType} count {regionCount}, expected BIN 16");
        Require(regionOffset >= 0 && (long)regionOffset + RpmHeaderLayout.RegionTrailerLength <= dl, $"region trailer offset {regionOffset} outside the data");
        (int trailerTag, int trailerType, int trailerOffset, int trailerCount) = ReadEntry(data[regionOffset..]);
        Require(
            trailerTag == (int)regionTag && trailerType == (int)RpmTagType.Bin && trailerCount == RpmHeaderLayout.RegionTrailerLength,
            $"region trailer is {{{trailerTag}, {trailerType}, {trailerOffset}, {trailerCount}}}, expected {{{(int)regionTag}, 7, -(il × 16), 16}}");
        Require(trailerOffset < 0 && -(long)trailerOffset % RpmHeaderLayout.EntryLength == 0, $"region trailer offset {trailerOffset} is not a negative multiple of 16");
        long ril = -(long)trailerOffset / RpmHeaderLayout.EntryLength;
        long rdl = (long)regionOffset + RpmHeaderLayout.RegionTrailerLength;
        Require(ril == il && rdl == dl, $"region covers ril {ril} rdl {rdl} but the header has il {il} dl {dl}");

        // The other entries (hdrblobVerifyInfo), and the exact packing hdrblobImport recomputes.
        var entries = new List<RpmHeaderEntry>(il - 1);
        int previousTag = -1;
        long packed = 0;
        for (int i = 1; i < il; i++)
        {
            (int tag, int type, int offset, int count) = ReadEntry(index[(i * RpmHeaderLayout.EntryLength)..]);
            string where = string.Create(CultureInfo.InvariantCulture, $"tag {tag} (index {i})");
            Require(tag >= RpmHeaderLayout.FirstDataTag, $"{where}: tags below 100 are reserved");
            Require(tag > previousTag, $"{where}: index not sorted by tag (previous {previousTag})");
            Require(type >= (int)RpmTagType.Char && type <= (int)RpmTagType.I18nString, $"{where}: invalid type {type}");
            var tagType = (RpmTagType)type;
            Require(count >= 1 && count <= dl, $"{where}: count {count} outside 1..dl");
            CheckRegisteredType((RpmTag)tag, tagType, count, signature, where);
            Require(tagType == RpmTagType.Bin || count <= RpmHeaderLayout.MaxArrayCount, $"{where}: {count} elements exceed 0xFFFFF");
            Require(offset % RpmHeaderLayout.Alignment(tagType) == 0, $"{where}: offset {offset} not aligned for {tagType}");
            Require(offset >= 0 && offset <= dl, $"{where}: offset {offset} outside the data");

            packed += RpmHeaderLayout.PaddingAfter(packed, RpmHeaderLayout.Alignment(tagType));
            Require(offset == packed, $"{where}: data at offset {offset}, but rpm expects it at {packed} (entries in index order, aligned, no gaps)");
            Require(offset <= regionOffset, $"{where}: data starts inside the region trailer");
            int entryLength = DataLength(tagType, count, data[offset..regionOffset], where);
            packed += entryLength;
            Require(packed <= regionOffset, $"{where}: data overlaps the region trailer");

            entries.Add(new RpmHeaderEntry((RpmTag)tag, tagType, offset, count, entryLength));
            previousTag = tag;
        }

        Require(packed == regionOffset, $"{packed} bytes of entry data, but the region trailer is at {regionOffset}");
        return new RpmHeaderReader(header.ToArray(), regionTag, dataStart, entries);
    }

    public bool Contains(RpmTag tag) => _byTag.ContainsKey(tag);

    /// <exception cref="KeyNotFoundException">The tag is absent.</exception>
    public RpmHeaderEntry GetEntry(RpmTag tag) =>
        _byTag.TryGetValue(tag, out RpmHeaderEntry entry) ? entry : throw new KeyNotFoundException($"Tag {tag} ({(int)tag}) is not in the header.");

    /// <summary>A STRING entry, or the first (C locale) string of an I18NSTRING entry.</summary>
    public string GetString(RpmTag tag)
    {
        RpmHeaderEntry entry = Expect(tag, RpmTagType.String, RpmTagType.I18nString);
        return Strings(entry)[0];
    }

    /// <summary>The strings of a STRING_ARRAY entry.</summary>
    public IReadOnlyList<string> GetStringArray(RpmTag tag) => Strings(Expect(tag, RpmTagType.StringArray));

    /// <summary>A single INT32 value.</summary>
    public uint GetInt32(RpmTag tag)
    {
        IReadOnlyList<uint> values = GetInt32Array(tag);
        return values.Count == 1 ? values[0] : throw new InvalidDataException($"Tag {tag} has {values.Count} values, not 1.");
    }

    public IReadOnlyList<uint> GetInt32Array(RpmTag tag)
    {
        RpmHeaderEntry entry = Expect(tag, RpmTagType.Int32);
        ReadOnlySpan<byte> data = Data(entry);
        var values = new uint[entry.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt32BigEndian(data[(i * sizeof(uint))..]);
        }

        return values;
    }

    public IReadOnlyList<ushort> GetInt16Array(RpmTag tag)
    {
        RpmHeaderEntry entry = Expect(tag, RpmTagType.Int16);
        ReadOnlySpan<byte> data = Data(entry);
        var values = new ushort[entry.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(i * sizeof(ushort))..]);
        }

        return values;
    }

    /// <summary>A single INT64 value.</summary>
    public ulong GetInt64(RpmTag tag)
    {
        RpmHeaderEntry entry = Expect(tag, RpmTagType.Int64);
        return entry.Count == 1
            ? BinaryPrimitives.ReadUInt64BigEndian(Data(entry))
            : throw new InvalidDataException($"Tag {tag} has {entry.Count} values, not 1.");
    }

    public byte[] GetBinary(RpmTag tag) => Data(Expect(tag, RpmTagType.Bin)).ToArray();

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException("rpm header: " + problem + ".");
        }
    }

    private static (int Tag, int Type, int Offset, int Count) ReadEntry(ReadOnlySpan<byte> entry) => (
        BinaryPrimitives.ReadInt32BigEndian(entry[RpmHeaderLayout.EntryTag..]),
        BinaryPrimitives.ReadInt32BigEndian(entry[RpmHeaderLayout.EntryType..]),
        BinaryPrimitives.ReadInt32BigEndian(entry[RpmHeaderLayout.EntryOffset..]),
        BinaryPrimitives.ReadInt32BigEndian(entry[RpmHeaderLayout.EntryCount..]));

    // dataLength in lib/header.cc: strings are measured by their NULs, within the bytes available.
    private static int DataLength(RpmTagType type, int count, ReadOnlySpan<byte> available, string where)
    {
        if (RpmHeaderLayout.IsStringClass(type))
        {
            Require(type != RpmTagType.String || count == 1, $"{where}: STRING with count {count}");
            int length = 0;
            for (int i = 0; i < count; i++)
            {
                int nul = available[length..].IndexOf((byte)0);
                Require(nul >= 0, $"{where}: string {i} is not NUL-terminated before the trailer");
                length += nul + 1;
            }

            return length;
        }

        long fixedLength = (long)RpmHeaderLayout.ElementSize(type) * count;
        Require(fixedLength <= available.Length, $"{where}: {fixedLength} bytes of data do not fit before the trailer");
        return (int)fixedLength;
    }

    private static void CheckRegisteredType(RpmTag tag, RpmTagType type, int count, bool signature, string where)
    {
        if (signature)
        {
            if (RpmTagTypes.SignatureHeader(tag) is { } expected)
            {
                Require(expected.Type == type && (expected.Count is null || expected.Count == count), $"{where}: signature tag must be {expected.Type} count {expected.Count?.ToString(CultureInfo.InvariantCulture) ?? "any"}, is {type} count {count}");
            }
        }
        else if (RpmTagTypes.MainHeader(tag) is { } expected)
        {
            Require(RpmTagTypes.Compatible(expected, type), $"{where}: registered type is {expected}, entry has {type}");
        }
    }

    private RpmHeaderEntry Expect(RpmTag tag, params ReadOnlySpan<RpmTagType> types)
    {
        RpmHeaderEntry entry = GetEntry(tag);
        return types.Contains(entry.Type) ? entry : throw new InvalidDataException($"Tag {tag} is {entry.Type}, not {string.Join(" or ", types.ToArray())}.");
    }

    private ReadOnlySpan<byte> Data(RpmHeaderEntry entry) => _bytes.AsSpan(_dataStart + entry.Offset, entry.Length);

    private string[] Strings(RpmHeaderEntry entry)
    {
        ReadOnlySpan<byte> data = Data(entry);
        var values = new string[entry.Count];
        for (int i = 0; i < values.Length; i++)
        {
            int nul = data.IndexOf((byte)0);
            values[i] = Encoding.UTF8.GetString(data[..nul]);
            data = data[(nul + 1)..];
        }

        return values;
    }
}
