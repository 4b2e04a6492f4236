using System.IO.Compression;
using DkmsPack.Compression;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Compression;

public sealed class ParallelCompressionTests
{
    /// <summary>3.5 chunks of text-like data with some randomness, so deflate has work to do.</summary>
    private static readonly byte[] s_input = MakeInput((ParallelGzipWriteStream.ChunkSize * 7) / 2);

    [Fact]
    public void ParallelGzip_WritesOneMemberPerChunk_ThatDecompressToTheInput()
    {
        byte[] gz = Compress(CompressionMethod.Gzip);

        Assert.Equal(4, CountMemberHeaders(gz));
        using var gunzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gunzip.CopyTo(output);
        Assert.Equal(s_input, output.ToArray());
    }

    [Fact]
    public void ParallelGzip_IsReadAsOneFileByGnuGzip()
    {
        string gzip = RealTool.Require("gzip");
        using var temp = new TempDirectory();
        string path = temp.Combine("data.gz");
        File.WriteAllBytes(path, Compress(CompressionMethod.Gzip));

        var test = RealTool.Run(gzip, "-t", path);

        Assert.True(test.ExitCode == 0, test.StdErr);
        RealTool.RunChecked(gzip, "-d", path);
        Assert.Equal(s_input, File.ReadAllBytes(temp.Combine("data")));
    }

    [Fact]
    public void ParallelGzip_SmallInput_IsExactlyOneSingleMember()
    {
        byte[] small = s_input[..1000];
        using var buffer = new MemoryStream();
        using (Stream gzip = Compressor.Create(CompressionMethod.Gzip, null, buffer))
        {
            gzip.Write(small);
        }

        Assert.Equal(Compressor.GzipBytes(small), buffer.ToArray());
    }

    [Fact]
    public void Zstd_OutputDoesNotDependOnTheWorkerCount()
    {
        byte[] one = ZstdWith(workers: 1);

        Assert.Equal(one, ZstdWith(workers: 2));
        Assert.Equal(one, ZstdWith(workers: 4));
        Assert.Equal(s_input, new ZstdSharp.Decompressor().Unwrap(one).ToArray());
    }

    [Fact]
    public void Zstd_IsReadByTheZstdTool()
    {
        string zstd = RealTool.Require("zstd");
        using var temp = new TempDirectory();
        string path = temp.Combine("data.zst");
        File.WriteAllBytes(path, Compress(CompressionMethod.Zstd));

        RealTool.RunChecked(zstd, "-q", "-d", path);

        Assert.Equal(s_input, File.ReadAllBytes(temp.Combine("data")));
    }

    private static byte[] Compress(CompressionMethod method)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = Compressor.Create(method, null, buffer))
        {
            // Odd-sized writes, so chunk boundaries fall inside writes.
            for (int offset = 0; offset < s_input.Length; offset += 77_777)
            {
                compressor.Write(s_input.AsSpan(offset, Math.Min(77_777, s_input.Length - offset)));
            }
        }

        return buffer.ToArray();
    }

    private static byte[] ZstdWith(int workers)
    {
        using var buffer = new MemoryStream();
        using (Stream zstd = Compressor.Zstd(buffer, Compressor.DefaultZstdLevel, workers))
        {
            zstd.Write(s_input);
        }

        return buffer.ToArray();
    }

    /// <summary>Counts gzip member headers: magic, deflate, no flags, mtime 0 (how our members start).</summary>
    private static int CountMemberHeaders(byte[] gz)
    {
        int count = 0;
        for (int i = 0; i + 8 <= gz.Length; i++)
        {
            if (gz[i] == 0x1f && gz[i + 1] == 0x8b && gz[i + 2] == 8 && gz[i + 3] == 0 && gz[i + 4] == 0 && gz[i + 5] == 0 && gz[i + 6] == 0 && gz[i + 7] == 0)
            {
                count++;
            }
        }

        return count;
    }

    private static byte[] MakeInput(int length)
    {
        var random = new Random(42);
        string[] words = ["static", "int", "struct", "kernel", "module", "dkms", "return", "void", "#include", "{", "}", ";", "\n"];
        var bytes = new List<byte>(length);
        while (bytes.Count < length)
        {
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(words[random.Next(words.Length)] + " "));
        }

        return [.. bytes.Take(length)];
    }
}
