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

    /// <summary>.ko.xz as kbuild writes it (CRC32, which the kernel's own xz decoder needs) and .ko.gz: xz and gzip
    /// test them, modinfo reads the module inside, and gzip's content is the module byte for byte.</summary>
    [Fact]
    public void Compress_XzAndGzip_AreReadByXzGzipAndModinfo()
    {
        string xz = fixture.NewPath(KernelModuleFixture.ModuleName + ".ko.xz");
        File.WriteAllBytes(xz, ModuleCompression.Compress(fixture.UnsignedBytes, ModuleCompressionMethod.Xz));
        RealTool.RunChecked(RealTool.Require("xz"), "-t", xz);
        Assert.Matches(@"\bCRC32\b", RealTool.RunChecked("xz", "-lvv", xz));
        Assert.Equal(fixture.KernelRelease, RealTool.RunChecked(RealTool.Require("modinfo"), "-F", "vermagic", xz).Split(' ')[0]);

        string gz = fixture.NewPath(KernelModuleFixture.ModuleName + ".ko.gz");
        File.WriteAllBytes(gz, ModuleCompression.Compress(fixture.UnsignedBytes, ModuleCompressionMethod.Gzip));
        RealTool.RunChecked(RealTool.Require("gzip"), "-t", gz);

        // Debian's kmod is built without zlib (kmod --version: -ZLIB), so modinfo reads .ko.gz only elsewhere.
        if (RealTool.RunChecked("kmod", "--version").Contains("+ZLIB", StringComparison.Ordinal))
        {
            Assert.Equal(fixture.KernelRelease, RealTool.RunChecked("modinfo", "-F", "vermagic", gz).Split(' ')[0]);
        }
        Assert.Equal(fixture.UnsignedBytes, ModuleCompression.Decompress(File.ReadAllBytes(gz), ModuleCompressionMethod.Gzip, gz));
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
