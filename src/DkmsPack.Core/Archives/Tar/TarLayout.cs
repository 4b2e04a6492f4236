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

    /// <summary>
    /// Writes <paramref name="value"/> as zero-padded octal digits followed by a NUL, filling the field.
    /// Values that need more digits than the field holds are refused (files of 8 GiB and more are out of scope).
    /// </summary>
    public static void WriteOctal(Span<byte> field, long value)
    {
        int digits = field.Length - 1;
        if (value < 0 || value >= 1L << (3 * digits))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit a {field.Length}-byte tar field.");
        }

        for (int i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }
}
