using System.IO.Compression;
using DkmsPack.Compression;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Compression;

public sealed class GzipWriteStreamTests
{
    [Fact]
    public void Header_HasNoNameNoTimeAndUnixOs()
    {
        byte[] gz = Compressor.GzipBytes("hello"u8);

        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3 }, gz[..10]); // magic, deflate, no flags, mtime 0, XFL max, OS unix
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200_000)]
    public void Output_DecompressesToInput_WithCorrectTrailer(int length)
    {
        byte[] input = new byte[length];
        new Random(length).NextBytes(input.AsSpan(0, length / 2)); // half random, half zeros

        byte[] gz = Compressor.GzipBytes(input);

        using var gunzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gunzip.CopyTo(output);
        Assert.Equal(input, output.ToArray());
        Assert.Equal(length, BitConverter.ToInt32(gz, gz.Length - 4)); // ISIZE
    }

    [Fact]
    public void Output_PassesGzipIntegrityTest()
    {
        string gzip = RealTool.Require("gzip");
        using var temp = new TempDirectory();
        string path = temp.Combine("x.gz");
        File.WriteAllBytes(path, Compressor.GzipBytes(System.Text.Encoding.ASCII.GetBytes(new string('a', 100_000))));

        var test = RealTool.Run(gzip, "-tv", path);

        Assert.True(test.ExitCode == 0, test.StdErr);
    }

    [Fact]
    public void SameInput_GivesSameBytes()
    {
        byte[] input = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("dkms ", 10_000)));

        Assert.Equal(Compressor.GzipBytes(input), Compressor.GzipBytes(input));
    }
}
