namespace DkmsPack.Archives.Rpm;

/// <summary>
/// Byte layout and limits of an rpm header structure (shared by the signature and main headers;
/// docs/rpm-format.md, "Header structure"; rpm lib/header.cc). All integers are big-endian.
/// <code>
/// intro  : magic 8E AD E8 01 | reserved 00 00 00 00 | il (uint32) | dl (uint32)      16 bytes
/// index  : il × { tag uint32 | type uint32 | offset int32 | count uint32 }          16 bytes each
/// data   : dl bytes, entries in index order, each aligned for its type, then the 16-byte region trailer
/// </code>
/// </summary>
internal static class RpmHeaderLayout
{
    /// <summary>The 8 bytes every header starts with: magic 8E AD E8 01 (version 1) and 4 reserved zeros.</summary>
    public static ReadOnlySpan<byte> Magic => [0x8E, 0xAD, 0xE8, 0x01, 0x00, 0x00, 0x00, 0x00];

    // Intro.
    public const int IntroMagic = 0;
    public const int IntroMagicLength = 8;
    public const int IntroIndexCount = IntroMagic + IntroMagicLength; // il
    public const int IntroDataLength = IntroIndexCount + 4;            // dl
    public const int IntroLength = IntroDataLength + 4;

    // One index entry (struct entryInfo_s).
    public const int EntryTag = 0;
    public const int EntryType = 4;
    public const int EntryOffset = 8;
    public const int EntryCount = 12;
    public const int EntryLength = 16;

    /// <summary>
    /// The region entry (tag 62 or 63, type BIN, count 16) points at a trailer of the same shape as an
    /// index entry, placed at the end of the data: {region tag, BIN, -(il × 16), 16}.
    /// </summary>
    public const int RegionTrailerLength = EntryLength;

    /// <summary>Tags below 100 are reserved for regions (hdrchkTag in lib/header.cc).</summary>
    public const int FirstDataTag = 100;

    /// <summary>Non-binary arrays are capped at 0xFFFFF elements (HEADER_ARRAY_MAX).</summary>
    public const int MaxArrayCount = 0xFFFFF;

    /// <summary>Main header: il is at most 0xFFFF (HEADER_TAGS_MAX).</summary>
    public const int MaxIndexCount = 0xFFFF;

    /// <summary>Main header: dl is at most 0x0FFFFFFF (HEADER_DATA_MAX).</summary>
    public const int MaxDataLength = 0x0FFFFFFF;

    /// <summary>Signature header: il is at most 32 (hdrblobVerifyLengths).</summary>
    public const int MaxSignatureIndexCount = 32;

    /// <summary>Signature header: dl is at most 64 MiB (hdrblobVerifyLengths).</summary>
    public const int MaxSignatureDataLength = 64 * 1024 * 1024;

    /// <summary>A whole header (without magic) must stay below 256 MiB (headerMaxbytes).</summary>
    public const int MaxHeaderLength = 256 * 1024 * 1024;

    /// <summary>The signature header is followed by zeros up to a multiple of 8 bytes.</summary>
    public const int SignatureAlignment = 8;

    /// <summary>Alignment of a type's data relative to the start of the data area (typeAlign in lib/header.cc).</summary>
    public static int Alignment(RpmTagType type) => type switch
    {
        RpmTagType.Int16 => 2,
        RpmTagType.Int32 => 4,
        RpmTagType.Int64 => 8,
        _ => 1,
    };

    /// <summary>Bytes per element of a fixed-size type, or 0 for the string types.</summary>
    public static int ElementSize(RpmTagType type) => type switch
    {
        RpmTagType.Char or RpmTagType.Int8 or RpmTagType.Bin => 1,
        RpmTagType.Int16 => 2,
        RpmTagType.Int32 => 4,
        RpmTagType.Int64 => 8,
        _ => 0,
    };

    public static bool IsStringClass(RpmTagType type) =>
        type is RpmTagType.String or RpmTagType.StringArray or RpmTagType.I18nString;

    /// <summary>Zero bytes needed after <paramref name="length"/> bytes to reach a multiple of <paramref name="alignment"/>.</summary>
    public static int PaddingAfter(long length, int alignment) => (int)((alignment - (length % alignment)) % alignment);
}
