namespace DkmsPack.Archives.Rpm;

/// <summary>
/// The 96-byte lead that starts every rpm file (docs/rpm-format.md, "Lead"; rpm docs/manual/format_lead.md,
/// lib/rpmlead.cc). Integers are big-endian. rpm 4.14-4.19 reject a lead whose major is not 3 or 4 or
/// whose signature type is not 5; rpm 4.20+ only check the magic. Everything else is informational.
/// </summary>
internal static class RpmLeadLayout
{
    public static ReadOnlySpan<byte> Magic => [0xED, 0xAB, 0xEE, 0xDB];

    public const int MagicOffset = 0;
    public const int MagicLength = 4;
    public const int Major = MagicOffset + MagicLength;     // 1 byte
    public const int Minor = Major + 1;                     // 1 byte
    public const int Type = Minor + 1;                      // 2 bytes
    public const int ArchNum = Type + 2;                    // 2 bytes
    public const int Name = ArchNum + 2;                    // 66 bytes
    public const int NameLength = 66;
    public const int OsNum = Name + NameLength;             // 2 bytes
    public const int SignatureType = OsNum + 2;             // 2 bytes
    public const int Reserved = SignatureType + 2;          // 16 bytes
    public const int ReservedLength = 16;
    public const int Length = Reserved + ReservedLength;    // 96

    /// <summary>3: the lead version of v4 packages (rpm 6 writes 4 only for v6 packages).</summary>
    public const byte MajorVersion = 3;

    public const byte MinorVersion = 0;

    /// <summary>0 = binary package.</summary>
    public const ushort TypeBinary = 0;

    /// <summary>1 = source package (RPMLEAD_SOURCE, lib/rpmlead.c).</summary>
    public const ushort TypeSource = 1;

    /// <summary>1 is conventional; rpm ignores it, file(1) prints it.</summary>
    public const ushort ArchNumDefault = 1;

    /// <summary>1 = Linux.</summary>
    public const ushort OsNumLinux = 1;

    /// <summary>5 = RPMSIGTYPE_HEADERSIG: a signature header follows the lead.</summary>
    public const ushort SignatureTypeHeader = 5;
}
