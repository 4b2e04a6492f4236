using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DkmsPack.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace DkmsPack.Modules;

/// <summary>
/// What a kernel module (.ko) says about itself: the <c>key=value</c> strings of its ELF <c>.modinfo</c> section
/// (what <c>modinfo</c> prints: name, vermagic, license, version, srcversion, …) and the signature appended to it,
/// if any. Reads ELF32 and ELF64, little- and big-endian (the ELF header and section header table, System V ABI
/// chapter 4: https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html). Reading never holds more than
/// the section header table, the section name table, .modinfo and the signature, whatever the file's size; every
/// damaged or foreign input is a one-line <see cref="DkmsPackException"/>.
/// </summary>
public sealed class KernelModuleInfo
{
    /// <summary>Larger section tables, name tables or .modinfo sections than these are not a module's.</summary>
    public const int MaxSectionTableBytes = 16 << 20;

    public const int MaxSectionNamesBytes = 16 << 20;

    public const int MaxModinfoBytes = 1 << 20;

    /// <summary>A CMS module signature is a few hundred bytes; this bounds what is read of a damaged one.</summary>
    public const int MaxSignatureBytes = 1 << 20;

    private const string Remedy = "give a .ko file as kbuild writes it (make -C /lib/modules/KVER/build M=DIR modules)";

    private readonly List<KeyValuePair<string, string>> _fields;

    private KernelModuleInfo(List<KeyValuePair<string, string>> fields, bool is64Bit, bool isBigEndian, ushort machine, ModuleSignatureInfo? signature)
    {
        _fields = fields;
        Is64Bit = is64Bit;
        IsBigEndian = isBigEndian;
        Machine = machine;
        Signature = signature;
    }

    /// <summary>Every <c>key=value</c> of .modinfo in file order (keys such as alias, parm and parmtype repeat).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The module's name (modpost writes <c>name=</c>); null when .modinfo has none.</summary>
    public string? Name => First("name");

    /// <summary>e.g. <c>6.1.0-57-amd64 SMP preempt mod_unload modversions </c>: the kernel it was built for, and how.</summary>
    public string? Vermagic => First("vermagic");

    /// <summary>The kernel release the module was built for: vermagic's first word (null without vermagic).</summary>
    public string? KernelRelease => Vermagic?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    public string? License => First("license");

    public string? Version => First("version");

    public string? SrcVersion => First("srcversion");

    public string? Description => First("description");

    /// <summary>ELFCLASS64 (true) or ELFCLASS32.</summary>
    public bool Is64Bit { get; }

    /// <summary>ELFDATA2MSB (true) or ELFDATA2LSB.</summary>
    public bool IsBigEndian { get; }

    /// <summary>e_machine (62: x86-64, 183: AArch64, …).</summary>
    public ushort Machine { get; }

    /// <summary>The appended signature; null when the module is not signed.</summary>
    public ModuleSignatureInfo? Signature { get; }

    /// <summary>True when the module ends with the signature magic (signed, or damaged after signing).</summary>
    public bool IsSigned => Signature is not null;

    /// <summary>Every value of <paramref name="key"/>, in file order.</summary>
    public IReadOnlyList<string> Values(string key) => [.. _fields.Where(f => f.Key == key).Select(f => f.Value)];

    /// <summary>
    /// A one-line error naming <paramref name="origin"/> unless vermagic says the module was built for
    /// <paramref name="kernelRelease"/> (the kernel refuses it otherwise: "disagrees about version of symbol" or
    /// "invalid module format").
    /// </summary>
    public void EnsureBuiltFor(string kernelRelease, string? origin)
    {
        ArgumentNullException.ThrowIfNull(kernelRelease);
        if (KernelRelease is not { } built)
        {
            throw DkmsPackException.Input(origin, "has no vermagic in its .modinfo, so the kernel it was built for is unknown", Remedy);
        }

        if (!string.Equals(built, kernelRelease, StringComparison.Ordinal))
        {
            throw DkmsPackException.Input(origin, $"was built for kernel {built}, not {kernelRelease} (vermagic \"{Vermagic!.TrimEnd()}\")", $"build it against /lib/modules/{kernelRelease}/build");
        }
    }

    /// <summary>Reads a module held in memory; <paramref name="origin"/> names it in errors.</summary>
    public static KernelModuleInfo Read(ReadOnlySpan<byte> module, string? origin = null)
    {
        var source = new SpanSource(module);
        return Parse(ref source, origin);
    }

    /// <summary>
    /// Reads the module file at <paramref name="path"/> without loading it whole; a <c>.ko.zst</c> (zstd magic) is
    /// decompressed in memory first (up to <see cref="ModuleCompression.MaxDecompressedBytes"/>).
    /// </summary>
    public static KernelModuleInfo ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var source = new FileSource(handle, path);
            Span<byte> magic = stackalloc byte[ModuleCompression.MagicLength];
            if (source.Length >= magic.Length)
            {
                source.Read(0, magic);
                if (ModuleCompression.Detect(magic) == ModuleCompressionMethod.Zstd)
                {
                    if (source.Length > ModuleCompression.MaxDecompressedBytes)
                    {
                        throw Fail(path, $"is a {source.Length.ToString(CultureInfo.InvariantCulture)}-byte zstd file, larger than any module");
                    }

                    byte[] decompressed = ModuleCompression.Decompress(File.ReadAllBytes(path), ModuleCompressionMethod.Zstd, path);
                    return Read(decompressed, path);
                }
            }

            return Parse(ref source, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DkmsPackException.Input(path, $"cannot be read: {ex.Message}", inner: ex);
        }
    }

    private string? First(string key)
    {
        foreach (KeyValuePair<string, string> field in _fields)
        {
            if (field.Key == key)
            {
                return field.Value;
            }
        }

        return null;
    }

    // ---- ELF -----------------------------------------------------------------------------------------------

    // e_ident (System V ABI, ELF header).
    private const int IdentLength = 16;
    private const int ClassIndex = 4;
    private const int DataIndex = 5;
    private const byte ElfClass32 = 1;
    private const byte ElfClass64 = 2;
    private const byte ElfDataLittle = 1;
    private const byte ElfDataBig = 2;
    private const ushort EtRel = 1;

    // Offsets in the ELF header.
    private const int TypeOffset = 16;
    private const int MachineOffset = 18;
    private const int Header32Length = 52;
    private const int Header64Length = 64;
    private const int ShOff32 = 32;
    private const int ShOff64 = 40;
    private const int ShEntSize32 = 46;
    private const int ShEntSize64 = 58; // e_shentsize, e_shnum, e_shstrndx follow, two bytes each

    // Section header fields (Elf32_Shdr / Elf64_Shdr).
    private const int SectionHeader32Length = 40;
    private const int SectionHeader64Length = 64;
    private const uint ShtNobits = 8;
    private const ushort ShnUndef = 0;
    private const ushort ShnLoReserve = 0xff00;
    private const ushort ShnXIndex = 0xffff;

    private static ReadOnlySpan<byte> ElfMagic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    private static ReadOnlySpan<byte> ModinfoName => ".modinfo"u8;

    private static KernelModuleInfo Parse<TSource>(ref TSource source, string? origin)
        where TSource : IModuleSource, allows ref struct
    {
        long length = source.Length;
        Span<byte> header = stackalloc byte[Header64Length];
        if (length < IdentLength)
        {
            throw Fail(origin, $"is {length.ToString(CultureInfo.InvariantCulture)} bytes, too short for an ELF file: not a kernel module");
        }

        source.Read(0, header[..IdentLength]);
        if (!header[..4].SequenceEqual(ElfMagic))
        {
            ModuleCompressionMethod compressed = ModuleCompression.Detect(header[..IdentLength]);
            if (compressed != ModuleCompressionMethod.None)
            {
                throw DkmsPackException.Input(origin, $"is {ModuleCompression.DisplayName(compressed)}-compressed, not an ELF module", "decompress it first (ModuleCompression.Decompress), or read the file with KernelModuleInfo.ReadFile");
            }

            throw Fail(origin, "is not an ELF file (no \\x7fELF magic): not a kernel module");
        }

        bool is64 = header[ClassIndex] switch
        {
            ElfClass64 => true,
            ElfClass32 => false,
            _ => throw Fail(origin, $"has an unknown ELF class {header[ClassIndex].ToString(CultureInfo.InvariantCulture)} (neither 32- nor 64-bit)"),
        };
        bool big = header[DataIndex] switch
        {
            ElfDataBig => true,
            ElfDataLittle => false,
            _ => throw Fail(origin, $"has an unknown ELF data encoding {header[DataIndex].ToString(CultureInfo.InvariantCulture)} (neither little- nor big-endian)"),
        };
        int headerLength = is64 ? Header64Length : Header32Length;
        if (length < headerLength)
        {
            throw Fail(origin, "is cut short inside its ELF header");
        }

        source.Read(0, header[..headerLength]);
        var elf = new Endian(big);
        ushort type = elf.U16(header[TypeOffset..]);
        ushort machine = elf.U16(header[MachineOffset..]);
        if (type != EtRel)
        {
            throw Fail(origin, $"is an ELF file of type {type.ToString(CultureInfo.InvariantCulture)}, not a relocatable object (ET_REL) as kernel modules are");
        }

        ulong sectionTableOffset = is64 ? elf.U64(header[ShOff64..]) : elf.U32(header[ShOff32..]);
        int entSizeOffset = is64 ? ShEntSize64 : ShEntSize32;
        int entrySize = elf.U16(header[entSizeOffset..]);
        ulong sectionCount = elf.U16(header[(entSizeOffset + 2)..]);
        uint namesIndex = elf.U16(header[(entSizeOffset + 4)..]);
        int minimumEntry = is64 ? SectionHeader64Length : SectionHeader32Length;
        if (sectionTableOffset == 0)
        {
            throw Fail(origin, "has no section header table, so no .modinfo section: not a kernel module");
        }

        if (entrySize < minimumEntry)
        {
            throw Fail(origin, $"has section headers of {entrySize.ToString(CultureInfo.InvariantCulture)} bytes, smaller than ELF's {minimumEntry.ToString(CultureInfo.InvariantCulture)}");
        }

        // More than 0xff00 sections: e_shnum is 0 and section 0's sh_size holds the count; an index past 0xff00
        // in e_shstrndx is SHN_XINDEX and section 0's sh_link holds it (System V ABI, "Sections").
        Span<byte> first = stackalloc byte[SectionHeader64Length];
        ReadRange(ref source, origin, sectionTableOffset, (ulong)minimumEntry, "the section header table", first[..minimumEntry]);
        var section0 = SectionHeader.Parse(first, is64, elf);
        if (sectionCount == 0)
        {
            sectionCount = section0.Size;
        }

        if (namesIndex == ShnXIndex)
        {
            namesIndex = section0.Link;
        }
        else if (namesIndex >= ShnLoReserve)
        {
            throw Fail(origin, $"names its section name table with the reserved index {namesIndex.ToString(CultureInfo.InvariantCulture)}");
        }

        if (namesIndex == ShnUndef || namesIndex >= sectionCount)
        {
            throw Fail(origin, "has no section name table (e_shstrndx), so no .modinfo section can be found");
        }

        if (sectionCount > (ulong)(MaxSectionTableBytes / entrySize))
        {
            throw Fail(origin, $"claims {sectionCount.ToString(CultureInfo.InvariantCulture)} sections, more than a module has");
        }

        byte[] table = new byte[(int)sectionCount * entrySize];
        ReadRange(ref source, origin, sectionTableOffset, (ulong)table.Length, "the section header table", table);

        SectionHeader names = SectionAt(table, namesIndex, entrySize, is64, elf);
        if (names.Type == ShtNobits || names.Size > MaxSectionNamesBytes)
        {
            throw Fail(origin, "has a section name table that holds no names or is implausibly large");
        }

        byte[] nameTable = new byte[(int)names.Size];
        ReadRange(ref source, origin, names.Offset, names.Size, "the section name table", nameTable);

        SectionHeader? modinfo = null;
        for (uint index = 1; index < sectionCount; index++)
        {
            SectionHeader section = SectionAt(table, index, entrySize, is64, elf);
            if (section.Name < (ulong)nameTable.Length && NameEquals(nameTable.AsSpan((int)section.Name), ModinfoName))
            {
                modinfo = section;
                break;
            }
        }

        if (modinfo is not { } info)
        {
            throw Fail(origin, "has no .modinfo section: not a kernel module (an object file that modpost did not turn into a .ko?)");
        }

        if (info.Type == ShtNobits || info.Size > MaxModinfoBytes)
        {
            throw Fail(origin, "has a .modinfo section that holds no data or is implausibly large");
        }

        byte[] modinfoBytes = new byte[(int)info.Size];
        ReadRange(ref source, origin, info.Offset, info.Size, "the .modinfo section", modinfoBytes);

        return new KernelModuleInfo(ParseModinfo(modinfoBytes), is64, big, machine, ReadSignature(ref source));
    }

    private static List<KeyValuePair<string, string>> ParseModinfo(ReadOnlySpan<byte> section)
    {
        // NUL-terminated "key=value" strings, with NUL padding between them for alignment.
        var fields = new List<KeyValuePair<string, string>>();
        foreach (Range range in section.Split((byte)0))
        {
            ReadOnlySpan<byte> entry = section[range];
            int equals = entry.IndexOf((byte)'=');
            if (equals <= 0)
            {
                continue;
            }

            fields.Add(new(Encoding.UTF8.GetString(entry[..equals]), Encoding.UTF8.GetString(entry[(equals + 1)..])));
        }

        return fields;
    }

    private static ModuleSignatureInfo? ReadSignature<TSource>(ref TSource source)
        where TSource : IModuleSource, allows ref struct
    {
        long length = source.Length;
        int suffixLength = ModuleSignatureLayout.SuffixLength;
        if (length < suffixLength)
        {
            return null;
        }

        Span<byte> suffix = stackalloc byte[suffixLength];
        source.Read(length - suffixLength, suffix);
        if (!ModuleSignatureLayout.TryReadSuffix(suffix, length, out AppendedSignature appended))
        {
            return null;
        }

        if (!appended.IsWellFormed || appended.CmsLength > MaxSignatureBytes)
        {
            return new ModuleSignatureInfo(false, appended.IdType, -1, (int)Math.Min(appended.CmsLength, int.MaxValue), null, null, null);
        }

        byte[] cms = new byte[(int)appended.CmsLength];
        source.Read(appended.ContentLength, cms);
        ModuleCmsSummary? summary = ModuleCmsSummary.TryRead(cms);
        return new ModuleSignatureInfo(summary is not null, appended.IdType, appended.ContentLength, cms.Length, summary?.HashAlgorithm, summary?.Signer, summary?.KeyId);
    }

    private static SectionHeader SectionAt(byte[] table, uint index, int entrySize, bool is64, Endian elf) =>
        SectionHeader.Parse(table.AsSpan((int)index * entrySize, entrySize), is64, elf);

    private static bool NameEquals(ReadOnlySpan<byte> nameAndRest, ReadOnlySpan<byte> name) =>
        nameAndRest.StartsWith(name) && nameAndRest.Length > name.Length && nameAndRest[name.Length] == 0;

    private static void ReadRange<TSource>(ref TSource source, string? origin, ulong offset, ulong count, string what, scoped Span<byte> destination)
        where TSource : IModuleSource, allows ref struct
    {
        ulong length = (ulong)source.Length;
        if (offset > length || count > length - offset)
        {
            throw Fail(origin, $"is cut short or damaged: {what} lies past the end of the file");
        }

        source.Read((long)offset, destination);
    }

    private static DkmsPackException Fail(string? origin, string message) => DkmsPackException.Input(origin, message, Remedy);

    /// <summary>The fields of a section header that this reader uses.</summary>
    private readonly record struct SectionHeader(uint Name, uint Type, ulong Offset, ulong Size, uint Link)
    {
        public static SectionHeader Parse(ReadOnlySpan<byte> entry, bool is64, Endian elf) => is64
            ? new(elf.U32(entry), elf.U32(entry[4..]), elf.U64(entry[24..]), elf.U64(entry[32..]), elf.U32(entry[40..]))
            : new(elf.U32(entry), elf.U32(entry[4..]), elf.U32(entry[16..]), elf.U32(entry[20..]), elf.U32(entry[24..]));
    }

    private readonly record struct Endian(bool Big)
    {
        public ushort U16(ReadOnlySpan<byte> b) => Big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

        public uint U32(ReadOnlySpan<byte> b) => Big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

        public ulong U64(ReadOnlySpan<byte> b) => Big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    // ---- Where the bytes come from: memory or a file, read piecewise -----------------------------------------

    private interface IModuleSource
    {
        long Length { get; }

        /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; the range is within Length.</summary>
        void Read(long offset, scoped Span<byte> destination);
    }

    private readonly ref struct SpanSource(ReadOnlySpan<byte> bytes) : IModuleSource
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public long Length => _bytes.Length;

        public void Read(long offset, scoped Span<byte> destination) => _bytes.Slice((int)offset, destination.Length).CopyTo(destination);
    }

    private readonly struct FileSource(SafeFileHandle handle, string path) : IModuleSource
    {
        public long Length { get; } = RandomAccess.GetLength(handle);

        public void Read(long offset, scoped Span<byte> destination)
        {
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(handle, destination, offset);
                if (read == 0)
                {
                    throw DkmsPackException.Input(path, "became shorter while it was read", "do not change the module while dkmspack reads it");
                }

                destination = destination[read..];
                offset += read;
            }
        }
    }
}

/// <summary>
/// A module's appended signature, as <c>modinfo</c> reports it: <see cref="HashAlgorithm"/> is <c>sig_hashalgo</c>
/// (e.g. "sha256"), <see cref="Signer"/> is <c>signer</c> (the signing certificate's issuer common name) and
/// <see cref="KeyId"/> is <c>sig_key</c> (its serial number, or subjectKeyIdentifier, as colon-separated hex).
/// <see cref="IsWellFormed"/> is false when the trailer or the CMS message is damaged (those three are then null).
/// <see cref="SignedContentLength"/> is the length of the module without the signature.
/// </summary>
public sealed record ModuleSignatureInfo(bool IsWellFormed, byte IdType, long SignedContentLength, int CmsLength, string? HashAlgorithm, string? Signer, string? KeyId);
