using DkmsPack.Diagnostics;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace DkmsPack.Modules;

/// <summary>How a module file is compressed on disk (kbuild's CONFIG_MODULE_COMPRESS_*).</summary>
public enum ModuleCompressionMethod
{
    /// <summary>A plain <c>.ko</c>.</summary>
    None,

    /// <summary><c>.ko.zst</c>: one zstd frame with its content size and checksum.</summary>
    Zstd,

    /// <summary><c>.ko.xz</c>: an xz stream with a CRC32 check and a 1 MiB dictionary, as kbuild writes it.</summary>
    Xz,

    /// <summary><c>.ko.gz</c>: gzip -9 without name or time, as kbuild's <c>gzip -n</c>.</summary>
    Gzip,
}

/// <summary>
/// Compresses a module the way kbuild's <c>modules_install</c> does (scripts/Makefile.modinst), so that kmod
/// (modprobe, modinfo, depmod) and the kernel's in-kernel decompressor (CONFIG_MODULE_DECOMPRESS,
/// kernel/module/decompress.c) read it. Sign first, then compress: the kernel checks the signature of the
/// decompressed module.
/// </summary>
public static class ModuleCompression
{
    /// <summary>zstd's own default level, which kbuild's <c>zstd -T0</c> uses.</summary>
    public const int DefaultZstdLevel = 3;

    /// <summary>Reading a compressed module never produces more than this.</summary>
    public const int MaxDecompressedBytes = 1 << 30;

    /// <summary>Enough leading bytes to tell the formats apart (<see cref="Detect"/>).</summary>
    public const int MagicLength = 6;

    // RFC 8878 section 3.1.1 (zstd frame); the xz file format 1.0.4 section 2.1.1.1; RFC 1952 section 2.3.1.
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    /// <summary>The file name suffix after <c>.ko</c>: "", ".zst", ".xz" or ".gz".</summary>
    public static string FileSuffix(ModuleCompressionMethod method) => method switch
    {
        ModuleCompressionMethod.None => string.Empty,
        ModuleCompressionMethod.Zstd => ".zst",
        ModuleCompressionMethod.Xz => ".xz",
        ModuleCompressionMethod.Gzip => ".gz",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>"zstd", "xz", "gzip" or "no".</summary>
    public static string DisplayName(ModuleCompressionMethod method) => method switch
    {
        ModuleCompressionMethod.Zstd => "zstd",
        ModuleCompressionMethod.Xz => "xz",
        ModuleCompressionMethod.Gzip => "gzip",
        _ => "no",
    };

    /// <summary>The compression <paramref name="start"/> (a file's first bytes) begins with, by its magic number.</summary>
    public static ModuleCompressionMethod Detect(ReadOnlySpan<byte> start) =>
        start.StartsWith(ZstdMagic) ? ModuleCompressionMethod.Zstd
        : start.StartsWith(XzMagic) ? ModuleCompressionMethod.Xz
        : start.StartsWith(GzipMagic) ? ModuleCompressionMethod.Gzip
        : ModuleCompressionMethod.None;

    /// <summary>
    /// <paramref name="module"/> (already signed, if it is to be) compressed with <paramref name="method"/>; the
    /// same input gives the same bytes.
    /// </summary>
    public static byte[] Compress(ReadOnlySpan<byte> module, ModuleCompressionMethod method, int? level = null) => method switch
    {
        ModuleCompressionMethod.None => module.ToArray(),
        ModuleCompressionMethod.Zstd => CompressZstd(module, level ?? DefaultZstdLevel),

        // kbuild runs `xz --check=crc32 --lzma2=dict=1MiB` (scripts/Makefile.modinst): the kernel's xz decoder
        // (lib/xz, used by CONFIG_MODULE_DECOMPRESS) checks CRC32 or nothing, not xz's default CRC64. Preset 1 has
        // that 1 MiB dictionary; one thread, so one block, as the xz tool writes for a file of this size.
        ModuleCompressionMethod.Xz => CompressXz(module),
        // kbuild's `gzip -n -f`: no name or time in the header (our writer never stores them), level 9 as DKMS's gzip -9.
        ModuleCompressionMethod.Gzip => DkmsPack.Compression.Compressor.GzipBytes(module),
        _ => throw DkmsPackException.Options($"compressing modules with {DisplayName(method)} is not supported", "compress them with zstd (.ko.zst), or not at all"),
    };

    /// <summary>A zstd-compressed module's content; other compressions are an error naming <paramref name="origin"/>.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> compressed, ModuleCompressionMethod method, string? origin = null)
    {
        if (method == ModuleCompressionMethod.None)
        {
            return compressed.ToArray();
        }

        if (method == ModuleCompressionMethod.Gzip)
        {
            return DecompressGzip(compressed, origin);
        }

        if (method != ModuleCompressionMethod.Zstd)
        {
            throw DkmsPackException.Input(origin, $"is {DisplayName(method)}-compressed, and dkmspack reads only zstd- and gzip-compressed modules", "decompress it first (xz -d)");
        }

        try
        {
            if (ZstdFrameContentSize(compressed) is not { } size || size == 0 || size > MaxDecompressedBytes)
            {
                throw DkmsPackException.Input(origin, "has a zstd frame without a usable content size (kmod needs it to load the module)", "compress it with the zstd tool (zstd FILE.ko) or dkmspack");
            }

            using var decompressor = new Decompressor();
            byte[] content = decompressor.Unwrap(compressed, (int)size).ToArray();
            if (content.Length != (int)size)
            {
                throw DkmsPackException.Input(origin, "holds less data than its zstd frame header says", "compress the module again");
            }

            return content;
        }
        catch (ZstdException ex)
        {
            throw DkmsPackException.Input(origin, $"is damaged zstd data ({ex.Message})", "compress the module again", inner: ex);
        }
    }

    private const int XzModuleLevel = 1;

    private static byte[] CompressXz(ReadOnlySpan<byte> module)
    {
        using var output = new MemoryStream();
        using (Stream xz = DkmsPack.Compression.XzCompression.Create(output, XzModuleLevel, extreme: false, DkmsPack.Compression.XzCheck.Crc32, threads: 1))
        {
            xz.Write(module);
        }

        return output.ToArray();
    }

    /// <summary>A gzip-compressed module's content, at most <see cref="MaxDecompressedBytes"/>.</summary>
    private static byte[] DecompressGzip(ReadOnlySpan<byte> compressed, string? origin)
    {
        try
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed.ToArray()), System.IO.Compression.CompressionMode.Decompress);
            using var content = new MemoryStream();
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = gzip.Read(buffer)) > 0;)
            {
                if (content.Length + read > MaxDecompressedBytes)
                {
                    throw DkmsPackException.Input(origin, $"decompresses to more than {MaxDecompressedBytes >> 20} MiB, which is no kernel module", "check the file");
                }

                content.Write(buffer, 0, read);
            }

            return content.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw DkmsPackException.Input(origin, $"is damaged gzip data ({ex.Message.TrimEnd('.')})", "compress the module again", inner: ex);
        }
    }

    /// <summary>
    /// The Frame_Content_Size of the zstd frame <paramref name="frame"/> starts with (RFC 8878 section 3.1.1.1),
    /// null when the header leaves it out or is cut short: what libzstd's ZSTD_getFrameContentSize, which kmod
    /// calls, reports.
    /// </summary>
    public static ulong? ZstdFrameContentSize(ReadOnlySpan<byte> frame)
    {
        const int DescriptorOffset = 4; // after the magic number
        if (frame.Length <= DescriptorOffset || !frame.StartsWith(ZstdMagic))
        {
            return null;
        }

        byte descriptor = frame[DescriptorOffset];
        int contentSizeFlag = descriptor >> 6;
        bool singleSegment = (descriptor & 0x20) != 0;
        int dictionaryIdFlag = descriptor & 0x03;
        int fieldSize = contentSizeFlag switch
        {
            0 => singleSegment ? 1 : 0,
            1 => 2,
            2 => 4,
            _ => 8,
        };
        if (fieldSize == 0)
        {
            return null;
        }

        int offset = DescriptorOffset + 1 + (singleSegment ? 0 : 1) + dictionaryIdFlag switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
        if (frame.Length < offset + fieldSize)
        {
            return null;
        }

        ReadOnlySpan<byte> field = frame.Slice(offset, fieldSize);
        return fieldSize switch
        {
            1 => field[0],
            2 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(field) + 256UL, // the 2-byte form is offset by 256
            4 => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(field),
        };
    }

    private static byte[] CompressZstd(ReadOnlySpan<byte> module, int level)
    {
        // One frame, compressed in one call so that its header records the content size: current kmod
        // (https://github.com/kmod-project/kmod/blob/master/libkmod/libkmod-file-zstd.c) sizes its buffer by
        // ZSTD_getFrameContentSize and refuses a frame without it. The checksum is what the zstd tool writes by
        // default (and so what kbuild's modules_install writes); both decoders check it. Single-threaded, so that
        // the output does not depend on the machine.
        using var compressor = new Compressor(level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 1);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, 0);
        return compressor.Wrap(module).ToArray();
    }
}
