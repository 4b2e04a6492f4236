namespace DkmsPack.Archives.Rpm;

/// <summary>
/// Data types of header entries (rpmtag.h <c>rpmTagType_e</c>, docs/rpm-format.md, "Header structure").
/// </summary>
// CA1720: the members are rpm's own type names (RPM_INT32_TYPE, RPM_STRING_TYPE...), kept on purpose.
#pragma warning disable CA1720
public enum RpmTagType
{
    /// <summary>RPM_NULL_TYPE; never valid on disk.</summary>
    Null = 0,

    /// <summary>RPM_CHAR_TYPE, 1 byte per element.</summary>
    Char = 1,

    /// <summary>RPM_INT8_TYPE, 1 byte per element.</summary>
    Int8 = 2,

    /// <summary>RPM_INT16_TYPE, 2 bytes big-endian, 2-aligned.</summary>
    Int16 = 3,

    /// <summary>RPM_INT32_TYPE, 4 bytes big-endian, 4-aligned.</summary>
    Int32 = 4,

    /// <summary>RPM_INT64_TYPE, 8 bytes big-endian, 8-aligned.</summary>
    Int64 = 5,

    /// <summary>RPM_STRING_TYPE: one NUL-terminated string; count must be 1.</summary>
    String = 6,

    /// <summary>RPM_BIN_TYPE: raw bytes; count is the byte length.</summary>
    Bin = 7,

    /// <summary>RPM_STRING_ARRAY_TYPE: count consecutive NUL-terminated strings.</summary>
    StringArray = 8,

    /// <summary>RPM_I18NSTRING_TYPE: one string per locale of HEADERI18NTABLE.</summary>
    I18nString = 9,
}
#pragma warning restore CA1720
