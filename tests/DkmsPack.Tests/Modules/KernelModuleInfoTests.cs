using System.Security.Cryptography;
using DkmsPack.Diagnostics;
using DkmsPack.Modules;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Modules;

/// <summary>
/// <see cref="KernelModuleInfo"/> reads what kmod's <c>modinfo</c> reads, from a module kbuild built and from ELF32
/// and big-endian objects objcopy made of its .modinfo; damaged input gives one line, never another exception.
/// </summary>
public sealed class KernelModuleInfoTests(KernelModuleFixture fixture)
{
    private static readonly string[] Fields = ["name", "vermagic", "license", "version", "srcversion", "description"];

    [Fact]
    public void Read_BuiltModule_AgreesWithModinfo()
    {
        KernelModuleInfo info = KernelModuleInfo.ReadFile(fixture.UnsignedModule);

        AssertAgreesWithModinfo(info, fixture.UnsignedModule);
        Assert.Equal(KernelModuleFixture.ModuleName, info.Name);
        Assert.Equal(fixture.KernelRelease, info.KernelRelease);
        Assert.Equal(Modinfo(fixture.UnsignedModule, "alias").Split('\n'), info.Values("alias"));
        Assert.True(info.Is64Bit == (RealTool.RunChecked("file", "-b", fixture.UnsignedModule).Contains("64-bit", StringComparison.Ordinal)));
        Assert.False(info.IsSigned);
        info.EnsureBuiltFor(fixture.KernelRelease, fixture.UnsignedModule);
    }

    [Fact]
    public void Read_FromMemory_EqualsReadFile()
    {
        KernelModuleInfo fromFile = KernelModuleInfo.ReadFile(fixture.UnsignedModule);
        KernelModuleInfo fromMemory = KernelModuleInfo.Read(fixture.UnsignedBytes, fixture.UnsignedModule);

        Assert.Equal(fromFile.Fields, fromMemory.Fields);
    }

    [Fact]
    public void EnsureBuiltFor_AnotherKernel_NamesBoth()
    {
        KernelModuleInfo info = KernelModuleInfo.ReadFile(fixture.UnsignedModule);

        DkmsPackException error = Assert.Throws<DkmsPackException>(() => info.EnsureBuiltFor("9.9.9-not-this", fixture.UnsignedModule));

        Assert.Equal(fixture.UnsignedModule, error.Diagnostics[0].File);
        Assert.Contains($"was built for kernel {fixture.KernelRelease}, not 9.9.9-not-this", error.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SignedBySignFile_SeesTheSignatureAsModinfoDoes()
    {
        string signed = fixture.NewPath("signed.ko");
        RealTool.RunChecked(fixture.SignFile, "sha512", fixture.Keys.Rsa4096.Key, fixture.Keys.Rsa4096.Certificate, fixture.UnsignedModule, signed);

        KernelModuleInfo info = KernelModuleInfo.ReadFile(signed);

        AssertAgreesWithModinfo(info, signed);
        Assert.True(info.Signature is { IsWellFormed: true });
        Assert.Equal(ModuleSignatureLayout.IdTypePkcs7, info.Signature.IdType);
        Assert.Equal(new FileInfo(fixture.UnsignedModule).Length, info.Signature.SignedContentLength);
        Assert.Equal(fixture.ExtractSignature(signed, "-s").Length, info.Signature.CmsLength);
        Assert.Equal(Modinfo(signed, "sig_hashalgo"), info.Signature.HashAlgorithm);
        Assert.Equal(Modinfo(signed, "signer"), info.Signature.Signer);
        Assert.Equal(Modinfo(signed, "sig_key"), info.Signature.KeyId);
    }

    [Theory]
    [InlineData("elf32-i386")]
    [InlineData("elf32-little")]
    [InlineData("elf32-big")]
    [InlineData("elf64-big")]
    [InlineData("elf64-little")]
    public void Read_OtherClassesAndByteOrders_AgreeWithModinfo(string target)
    {
        RealTool.Require("objcopy");
        string modinfoSection = fixture.NewPath("modinfo.bin");
        RealTool.RunChecked("objcopy", "-O", "binary", "--only-section=.modinfo", fixture.UnsignedModule, modinfoSection);
        string converted = fixture.NewPath(target + ".ko");
        if (target == "elf32-i386")
        {
            RealTool.RunChecked("objcopy", "-O", target, "--only-section=.modinfo", fixture.UnsignedModule, converted);
        }
        else
        {
            // objcopy cannot change a file's byte order; an object made of the raw section can have any.
            RealTool.RunChecked("objcopy", "-I", "binary", "-O", target, "--rename-section", ".data=.modinfo", modinfoSection, converted);
        }

        KernelModuleInfo info = KernelModuleInfo.ReadFile(converted);

        AssertAgreesWithModinfo(info, converted);
        Assert.Equal(target.Contains("64", StringComparison.Ordinal), info.Is64Bit);
        Assert.Equal(target.EndsWith("-big", StringComparison.Ordinal), info.IsBigEndian);
        Assert.Equal(Modinfo(fixture.UnsignedModule, "vermagic"), info.Vermagic);
    }

    [Fact]
    public void Read_CompressedFile_IsDecompressedFirst()
    {
        RealTool.Require("zstd");
        string compressed = fixture.NewPath("module.ko.zst");
        RealTool.RunChecked("zstd", "-q", "-o", compressed, fixture.UnsignedModule);

        KernelModuleInfo info = KernelModuleInfo.ReadFile(compressed);

        AssertAgreesWithModinfo(info, compressed);
        DkmsPackException error = Assert.Throws<DkmsPackException>(() => KernelModuleInfo.Read(File.ReadAllBytes(compressed), compressed));
        Assert.Contains("is zstd-compressed", error.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryPrefix_IsAOneLineErrorOrAgrees()
    {
        // modinfo's verdict on the same bytes is the judge of which prefixes still hold .modinfo; a prefix is
        // either read the same or refused in one line.
        byte[] module = fixture.UnsignedBytes;
        KernelModuleInfo whole = KernelModuleInfo.Read(module, "whole.ko");
        var lengths = new SortedSet<int>(Enumerable.Range(0, 128));
        for (int length = 128; length < module.Length; length += 97)
        {
            lengths.Add(length);
        }

        lengths.Add(module.Length - 1);
        int refused = 0;
        foreach (int length in lengths)
        {
            if (TryRead(module.AsSpan(0, length), out KernelModuleInfo? info) is { } message)
            {
                refused++;
                AssertOneLine(message, length);
            }
            else
            {
                Assert.Equal(whole.Fields, info!.Fields);
            }
        }

        // ELF keeps the section header table at the end, so every strict prefix loses it.
        Assert.Equal(lengths.Count, refused);
        foreach (int length in lengths.Where((_, i) => i % 100 == 0).Append(module.Length - 1))
        {
            Assert.True(ModinfoExit(module.AsSpan(0, length)) != 0, $"modinfo reads the first {length} bytes, which dkmspack refuses");
        }
    }

    [Fact]
    public void Read_ByteFlipsInTheHeadersAndTables_GiveOneLineErrorsOnly()
    {
        byte[] module = fixture.UnsignedBytes;
        var positions = new List<int>();
        positions.AddRange(Enumerable.Range(0, 64)); // the ELF header
        long sectionTable = BitConverter.ToInt64(module, 40);
        for (int i = 0; i < 64 * 40 && sectionTable + i < module.Length; i += 3)
        {
            positions.Add((int)sectionTable + i);
        }

        var random = new Random(15);
        for (int i = 0; i < 300; i++)
        {
            positions.Add(random.Next(module.Length));
        }

        foreach (int position in positions)
        {
            foreach (byte flip in (byte[])[0x01, 0x80, 0xff])
            {
                byte[] damaged = (byte[])module.Clone();
                damaged[position] ^= flip;
                if (TryRead(damaged, out _) is { } message)
                {
                    AssertOneLine(message, position);
                }
            }
        }
    }

    [Fact]
    public void Read_Garbage_IsAOneLineError()
    {
        var random = new Random(42);
        foreach (int length in (int[])[0, 1, 15, 16, 52, 63, 64, 100, 4096])
        {
            byte[] garbage = new byte[length];
            random.NextBytes(garbage);
            if (length >= 4)
            {
                garbage[0] = 0x7f;
                garbage[1] = (byte)'E';
                garbage[2] = (byte)'L';
                garbage[3] = (byte)'F';
            }

            Assert.NotNull(TryRead(garbage, out _));
        }

        string notElf = TryRead("#!/bin/sh\necho this is a shell script, not a module\n"u8, out _)!;
        Assert.Contains("is not an ELF file", notElf, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ObjectWithoutModinfo_SaysItIsNoModule()
    {
        RealTool.Require("objcopy");
        string stripped = fixture.NewPath("no-modinfo.ko");
        // (Removing the section is refused: symbols refer to it.)
        RealTool.RunChecked("objcopy", "--rename-section", ".modinfo=.dkmspack_renamed", fixture.UnsignedModule, stripped);

        DkmsPackException error = Assert.Throws<DkmsPackException>(() => KernelModuleInfo.ReadFile(stripped));

        Assert.Contains("has no .modinfo section", error.Diagnostics[0].Message, StringComparison.Ordinal);
        (int exitCode, _, string stdErr) = RealTool.Run("modinfo", "-F", "vermagic", stripped);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("could not get modinfo", stdErr, StringComparison.Ordinal);
    }

    private static string? TryRead(ReadOnlySpan<byte> bytes, out KernelModuleInfo? info)
    {
        info = null;
        try
        {
            info = KernelModuleInfo.Read(bytes, "damaged.ko");
            return null;
        }
        catch (DkmsPackException ex)
        {
            Assert.Equal("damaged.ko", ex.Diagnostics[0].File);
            Assert.Equal(ExitCode.InvalidInput, ex.ExitCode);
            return ex.Diagnostics[0].ToString();
        }
    }

    private static void AssertOneLine(string message, int where)
    {
        Assert.False(message.Contains('\n', StringComparison.Ordinal), $"at {where}: {message}");
        Assert.StartsWith("damaged.ko: error: ", message, StringComparison.Ordinal);
    }

    private static int ModinfoExit(ReadOnlySpan<byte> bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "dkmspack-modinfo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + ".ko");
        try
        {
            File.WriteAllBytes(path, bytes.ToArray());
            return RealTool.Run("modinfo", path).ExitCode;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertAgreesWithModinfo(KernelModuleInfo info, string module)
    {
        foreach (string field in Fields)
        {
            string expected = Modinfo(module, field);
            string? actual = info.Values(field) is { Count: > 0 } values ? string.Join('\n', values) : null;
            Assert.True(expected == (actual ?? string.Empty), $"{field}: modinfo says \"{expected}\", dkmspack \"{actual}\"");
        }
    }

    private static string Modinfo(string module, string field) => RealTool.RunChecked("modinfo", "-F", field, module).TrimEnd('\n');
}
