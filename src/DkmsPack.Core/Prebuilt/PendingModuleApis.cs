using System.Text;
using DkmsPack.Diagnostics;

namespace DkmsPack.Prebuilt;

// Stand-ins until the module signing branch lands (replaced at merge).
internal static class KernelModuleInfoReader
{
    public static string? Vermagic(byte[] module, string path)
    {
        int at = module.AsSpan().IndexOf("vermagic="u8);
        if (at < 0)
        {
            return null;
        }

        int start = at + "vermagic=".Length;
        int end = module.AsSpan(start).IndexOf((byte)0);
        return Encoding.UTF8.GetString(module, start, end < 0 ? module.Length - start : end);
    }
}

internal static class ModuleSigning
{
    public static byte[] Sign(byte[] module, ModuleSigningRequest signing) =>
        throw DkmsPackException.Options("module signing is not available yet");

    public static ReadOnlyMemory<byte> CertificateDer(ModuleSigningRequest signing)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(signing.CertificatePath);
        return certificate.RawData;
    }
}

internal static class ModuleCompressors
{
    public static byte[] Zstd(byte[] module)
    {
        using var compressor = new ZstdSharp.Compressor(19);
        return compressor.Wrap(module).ToArray();
    }

    public static byte[] Xz(byte[] module) => throw DkmsPackException.Options("xz module compression is not available yet");
}
