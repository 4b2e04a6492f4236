using DkmsPack.Diagnostics;
using DkmsPack.Modules;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Modules;

/// <summary>
/// Signed, then compressed: the zstd tool and kmod's modinfo read our .ko.zst, whose frame records the content
/// size (kmod 33 and later need it) and a checksum, as kbuild's modules_install writes them.
/// </summary>
public sealed class ModuleCompressionTests(KernelModuleFixture fixture)
{
    [Fact]
    public void Compress_SignedModule_ZstdAndModinfoReadIt()
    {
        RealTool.Require("zstd");
        byte[] signed;
        using (ModuleSigningKey key = ModuleSigningKey.Load(fixture.Keys.Dkms.Key, fixture.Keys.Dkms.Certificate))
        {
            signed = ModuleSigner.Sign(fixture.UnsignedBytes, key, ModuleSigner.DefaultHash, fixture.UnsignedModule);
        }

        string compressed = fixture.NewPath(KernelModuleFixture.ModuleName + ".ko" + ModuleCompression.FileSuffix(ModuleCompressionMethod.Zstd));
        File.WriteAllBytes(compressed, ModuleCompression.Compress(signed, ModuleCompressionMethod.Zstd));

        string decompressed = fixture.NewPath("decompressed.ko");
        RealTool.RunChecked("zstd", "-q", "-d", compressed, "-o", decompressed);
        Assert.Equal(signed, File.ReadAllBytes(decompressed));
        string listing = RealTool.RunChecked("zstd", "-lv", compressed);
        Assert.Matches(@"Check: XXH64", listing);
        Assert.Matches(@"Decompressed Size: .*\(" + signed.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " B\\)", listing);
        Assert.Matches(@"# Zstandard Frames: 1\b", listing);

        Assert.Equal("DKMS module signing key", RealTool.RunChecked("modinfo", "-F", "signer", compressed).Trim());
        Assert.Equal("sha256", RealTool.RunChecked("modinfo", "-F", "sig_hashalgo", compressed).Trim());
        Assert.Equal(RealTool.RunChecked("modinfo", "-F", "vermagic", fixture.UnsignedModule), RealTool.RunChecked("modinfo", "-F", "vermagic", compressed));
        Assert.Equal(signed, ModuleCompression.Decompress(File.ReadAllBytes(compressed), ModuleCompressionMethod.Zstd, compressed));
    }

    [Fact]
    public void Compress_Twice_GivesTheSameBytes()
    {
        byte[] module = fixture.UnsignedBytes;

        Assert.Equal(ModuleCompression.Compress(module, ModuleCompressionMethod.Zstd), ModuleCompression.Compress(module, ModuleCompressionMethod.Zstd));
    }

    [Fact]
    public void Decompress_FrameWithoutContentSize_IsRefusedAsKmodWould()
    {
        RealTool.Require("zstd");
        string compressed = fixture.NewPath("streamed.ko.zst");
        // Compressing from a pipe leaves the size out of the frame header.
        RealTool.RunChecked(new RealToolOptions(StdInFile: fixture.UnsignedModule, StdOutFile: compressed), "zstd", "-q", "-c");
        Assert.DoesNotContain("Decompressed Size: ", RealTool.RunChecked("zstd", "-lv", compressed), StringComparison.Ordinal);

        DkmsPackException error = Assert.Throws<DkmsPackException>(() => ModuleCompression.Decompress(File.ReadAllBytes(compressed), ModuleCompressionMethod.Zstd, compressed));

        Assert.Contains("without a usable content size", error.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_Xz_IsNotAvailableYet()
    {
        DkmsPackException error = Assert.Throws<DkmsPackException>(() => ModuleCompression.Compress([1, 2, 3], ModuleCompressionMethod.Xz));

        Assert.Contains("xz is not available yet", error.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompress_Damaged_IsAOneLineError()
    {
        byte[] compressed = ModuleCompression.Compress(fixture.UnsignedBytes, ModuleCompressionMethod.Zstd);
        var random = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            byte[] damaged = (byte[])compressed.Clone();
            damaged[random.Next(4, damaged.Length)] ^= 0x10;
            try
            {
                byte[] content = ModuleCompression.Decompress(damaged, ModuleCompressionMethod.Zstd, "damaged.ko.zst");
                Assert.Fail($"a damaged frame decompressed to {content.Length} bytes (the checksum should catch it)");
            }
            catch (DkmsPackException ex)
            {
                Assert.DoesNotContain('\n', ex.Diagnostics[0].ToString());
            }
        }
    }
}
