using System.Buffers.Binary;
using System.Text;

namespace DkmsPack.Archives.Rpm;

/// <summary>Writes the 96-byte lead of a binary v4 package (see <see cref="RpmLeadLayout"/>).</summary>
public static class RpmLead
{
    /// <summary>The lead's length in bytes.</summary>
    public const int Length = RpmLeadLayout.Length;

    /// <summary>
    /// Builds the lead. <paramref name="name"/> is what rpmbuild writes there, the NEVR
    /// (<c>name-version-release</c>, with <c>epoch:</c> before the version when there is one). Like
    /// rpm, names over 65 bytes are cut (at a UTF-8 character boundary) so a NUL always ends the field.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or contains NUL.</exception>
    /// <param name="name">The NEVR.</param>
    /// <param name="type"><see cref="RpmLeadLayout.TypeBinary"/> or <see cref="RpmLeadLayout.TypeSource"/>.</param>
    public static byte[] Create(string name, ushort type = RpmLeadLayout.TypeBinary)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The lead name must not contain NUL.", nameof(name));
        }

        byte[] lead = new byte[RpmLeadLayout.Length];
        Span<byte> span = lead;
        RpmLeadLayout.Magic.CopyTo(span[RpmLeadLayout.MagicOffset..]);
        span[RpmLeadLayout.Major] = RpmLeadLayout.MajorVersion;
        span[RpmLeadLayout.Minor] = RpmLeadLayout.MinorVersion;
        BinaryPrimitives.WriteUInt16BigEndian(span[RpmLeadLayout.Type..], type);
        BinaryPrimitives.WriteUInt16BigEndian(span[RpmLeadLayout.ArchNum..], RpmLeadLayout.ArchNumDefault);

        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        int length = Math.Min(nameBytes.Length, RpmLeadLayout.NameLength - 1);
        while (length < nameBytes.Length && length > 0 && (nameBytes[length] & 0xC0) == 0x80)
        {
            length--; // do not cut a multi-byte character in half
        }

        nameBytes.AsSpan(0, length).CopyTo(span[RpmLeadLayout.Name..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[RpmLeadLayout.OsNum..], RpmLeadLayout.OsNumLinux);
        BinaryPrimitives.WriteUInt16BigEndian(span[RpmLeadLayout.SignatureType..], RpmLeadLayout.SignatureTypeHeader);
        return lead; // the name's padding and the 16 reserved bytes stay zero
    }

    /// <summary>Writes the lead to <paramref name="output"/>.</summary>
    public static void Write(Stream output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Create(name));
    }
}
