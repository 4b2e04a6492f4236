namespace DkmsPack.Archives.Cpio;

/// <summary>
/// Byte layout of a cpio "newc" (SVR4, no CRC) entry header, as rpm reads it (lib/cpio.cc) and
/// GNU cpio writes it with <c>-H newc</c>: a 6-byte ASCII magic followed by 13 fields of 8 hex digits.
/// All numbers are ASCII hex, so there is no byte order. See docs/rpm-format.md, "Payload".
/// </summary>
internal static class CpioNewcLayout
{
    /// <summary>"070701": newc without checksums. ("070702" is the CRC variant; rpm writes 070701.)</summary>
    public const string Magic = "070701";

    public const int MagicLength = 6;

    /// <summary>Width of every numeric field: 8 hex digits, so each holds at most 0xFFFFFFFF.</summary>
    public const int FieldLength = 8;

    public const uint FieldMaxValue = uint.MaxValue;

    // Field offsets, in the order they appear after the magic.
    public const int Ino = MagicLength;
    public const int Mode = Ino + FieldLength;
    public const int Uid = Mode + FieldLength;
    public const int Gid = Uid + FieldLength;
    public const int NLink = Gid + FieldLength;
    public const int MTime = NLink + FieldLength;
    public const int FileSize = MTime + FieldLength;
    public const int DevMajor = FileSize + FieldLength;
    public const int DevMinor = DevMajor + FieldLength;
    public const int RDevMajor = DevMinor + FieldLength;
    public const int RDevMinor = RDevMajor + FieldLength;
    public const int NameSize = RDevMinor + FieldLength;
    public const int Check = NameSize + FieldLength;

    /// <summary>110 bytes: magic + 13 fields.</summary>
    public const int HeaderLength = Check + FieldLength;

    /// <summary>Header+name and file data are each padded with NULs to a multiple of 4.</summary>
    public const int Alignment = 4;

    /// <summary>The name of the entry that ends the archive.</summary>
    public const string TrailerName = "TRAILER!!!";

    // st_mode file-type bits (sys/stat.h), which the mode field carries along with the permissions.
    public const int TypeMask = 0xF000;    // S_IFMT   0170000
    public const int TypeDirectory = 0x4000; // S_IFDIR  0040000
    public const int TypeRegular = 0x8000;   // S_IFREG  0100000
    public const int TypeSymlink = 0xA000;   // S_IFLNK  0120000

    /// <summary>Permission, setuid/setgid and sticky bits: 07777.</summary>
    public const int PermissionMask = 0xFFF;

    /// <summary>Bytes needed after <paramref name="length"/> bytes to reach the next 4-byte boundary.</summary>
    public static int PaddingAfter(long length) => (int)((Alignment - (length % Alignment)) % Alignment);
}
