namespace DkmsPack.Archives.Tar;

/// <summary>The 512-byte GNU tar header (GNU tar manual, "Basic Tar Format"; POSIX ustar for the common part).</summary>
internal static class TarLayout
{
    public const int BlockSize = 512;

    public const int Name = 0;
    public const int NameLength = 100;
    public const int Mode = 100;
    public const int ModeLength = 8;
    public const int OwnerId = 108;
    public const int OwnerIdLength = 8;
    public const int GroupId = 116;
    public const int GroupIdLength = 8;
    public const int Size = 124;
    public const int SizeLength = 12;
    public const int ModifiedTime = 136;
    public const int ModifiedTimeLength = 12;
    public const int Checksum = 148;
    public const int ChecksumLength = 8;
    public const int TypeFlag = 156;
    public const int LinkName = 157;
    public const int LinkNameLength = 100;
    public const int Magic = 257;
    public const int OwnerName = 265;
    public const int OwnerNameLength = 32;
    public const int GroupName = 297;
    public const int GroupNameLength = 32;

    public const byte TypeRegular = (byte)'0';
    public const byte TypeSymlink = (byte)'2';
    public const byte TypeDirectory = (byte)'5';
    public const byte TypeGnuLongLink = (byte)'K';
    public const byte TypeGnuLongName = (byte)'L';

    /// <summary>GNU magic and version: "ustar " then " \0" (8 bytes), unlike POSIX "ustar\0" "00".</summary>
    public static ReadOnlySpan<byte> GnuMagic => "ustar  \0"u8;

    private static readonly byte[] s_zeroBlock = new byte[BlockSize];

    public static ReadOnlySpan<byte> ZeroBlock => s_zeroBlock;

    /// <summary>GNU's base-256 marker: the first byte of a positive binary number (0xFF starts a negative one).</summary>
    public const byte Base256Positive = 0x80;

    public const byte Base256Negative = 0xFF;

    /// <summary>
    /// Writes <paramref name="value"/> as zero-padded octal digits followed by a NUL, filling the field.
    /// Values that need more digits than the field holds are refused.
    /// </summary>
    public static void WriteOctal(Span<byte> field, long value)
    {
        if (!FitsOctal(field.Length, value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit a {field.Length}-byte tar field.");
        }

        int digits = field.Length - 1;
        for (int i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }

    /// <summary>
    /// Writes a size or mtime: octal while it fits (what every reader knows), else GNU tar's base-256 form (GNU tar
    /// manual, "Basic Tar Format": the first byte 0x80, or 0xFF for a negative number, then the value big-endian in
    /// two's complement), which is what GNU tar writes for files of 8 GiB and more and what dpkg's lib/dpkg/tarfn.c
    /// reads (tar_atol256). A 12-byte field holds any 64-bit value this way, so nothing fails mid-archive.
    /// </summary>
    public static void WriteNumber(Span<byte> field, long value)
    {
        if (FitsOctal(field.Length, value))
        {
            WriteOctal(field, value);
            return;
        }

        // The marker byte must not overlap the eight bytes of the value.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(field.Length, sizeof(long), nameof(field));

        // Sign-extend over the whole field; the marker byte is then 0x80 for positive numbers (0xFF already is the
        // sign extension of a negative one).
        byte extension = value < 0 ? Base256Negative : (byte)0;
        field.Fill(extension);
        for (int i = field.Length - 1; i >= 0 && i >= field.Length - sizeof(long); i--)
        {
            field[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        field[0] = value < 0 ? Base256Negative : Base256Positive;
    }

    private static bool FitsOctal(int fieldLength, long value) => value >= 0 && value < 1L << (3 * (fieldLength - 1));
}
