using DkmsPack.Modules;

namespace DkmsPack.Prebuilt;

/// <summary>A module file as DKMS or a directory holds it: compressed or not.</summary>
internal static class ModuleFile
{
    /// <summary>The suffixes after .ko that DKMS and kmod know, the uncompressed one first.</summary>
    public static readonly string[] Suffixes =
    [
        .. new[] { ModuleCompressionMethod.None, ModuleCompressionMethod.Zstd, ModuleCompressionMethod.Xz, ModuleCompressionMethod.Gzip }.Select(ModuleCompression.FileSuffix),
    ];

    /// <summary>The module's ELF bytes; a compressed module (told by its magic) is decompressed.</summary>
    public static byte[] ReadUncompressed(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return ModuleCompression.Decompress(bytes, ModuleCompression.Detect(bytes), path);
    }
}
