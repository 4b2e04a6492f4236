using System.IO.Compression;
using System.Text;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;

namespace DkmsPack.Prebuilt;

/// <summary>One kernel module file: read (decompressed), checked against its kernel, signed, compressed.</summary>
internal static class ModuleFile
{
    private const string GzipSuffix = ".gz";
    private const string XzSuffix = ".xz";
    private const string ZstdSuffix = ".zst";

    /// <summary>The suffixes after .ko that DKMS and kmod know, the uncompressed one first.</summary>
    public static readonly string[] Suffixes = [string.Empty, ZstdSuffix, XzSuffix, GzipSuffix];

    /// <summary>The module's ELF bytes; a compressed module is decompressed (gzip, zstd).</summary>
    public static byte[] ReadUncompressed(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (path.EndsWith(GzipSuffix, StringComparison.Ordinal))
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            return ReadAll(gzip);
        }

        if (path.EndsWith(ZstdSuffix, StringComparison.Ordinal))
        {
            using var zstd = new ZstdSharp.DecompressionStream(new MemoryStream(bytes));
            return ReadAll(zstd);
        }

        if (path.EndsWith(XzSuffix, StringComparison.Ordinal))
        {
            throw DkmsPackException.Input(path, "is xz-compressed, which dkmspack cannot read yet", "decompress it (unxz) and give the .ko");
        }

        return bytes;
    }

    /// <summary>
    /// Refuses a module built for another kernel: its vermagic (modinfo's first word) must be the kernel release,
    /// or modprobe would refuse it on that kernel.
    /// </summary>
    public static void CheckBuiltFor(byte[] module, string path, string kernel)
    {
        string? vermagic = KernelModuleInfoReader.Vermagic(module, path);
        string release = vermagic?.Split(' ')[0] ?? string.Empty;
        if (release != kernel)
        {
            throw DkmsPackException.Input(path, vermagic is null ? "has no vermagic: it is no kernel module" : $"was built for kernel {release}, not {kernel}", "build it for that kernel, or name the kernel it was built for");
        }
    }

    public static byte[] Sign(byte[] module, ModuleSigningRequest signing) => ModuleSigning.Sign(module, signing);

    /// <summary>The bytes to install and the suffix after .ko (kmod and the kernel decompress all three).</summary>
    public static (byte[] Bytes, string Suffix) Compress(byte[] module, ModuleCompression compression) => compression switch
    {
        ModuleCompression.Gzip => (Compressor.GzipBytes(module), GzipSuffix),
        ModuleCompression.Zstd => (ModuleCompressors.Zstd(module), ZstdSuffix),
        ModuleCompression.Xz => (ModuleCompressors.Xz(module), XzSuffix),
        _ => (module, string.Empty),
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
