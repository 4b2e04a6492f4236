using DkmsPack.IO;
using System.Security.Cryptography;
using DkmsPack.Archives.Rpm;
using Xunit;

namespace DkmsPack.Tests.IO;

public class HashingWriteStreamTests
{
    [Fact]
    public void Write_PassesBytesThroughAndCountsAndHashesThem()
    {
        var inner = new MemoryStream();
        var stream = new HashingWriteStream(inner, leaveOpen: true);

        stream.Write("hello "u8);
        stream.Write("world"u8.ToArray(), 0, 5);
        stream.Dispose();

        Assert.Equal("hello world"u8.ToArray(), inner.ToArray());
        Assert.Equal(11, stream.BytesWritten);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello world"u8)), stream.GetSha256Hex()); // readable after dispose
        Assert.True(inner.CanWrite);
    }

    [Fact]
    public void GetSha256_BeforeDispose_IsTheDigestSoFar()
    {
        using var stream = new HashingWriteStream(Stream.Null);
        stream.Write("ab"u8);

        Assert.Equal(SHA256.HashData("ab"u8), stream.GetSha256());
        stream.Write("c"u8);
        Assert.Equal(SHA256.HashData("abc"u8), stream.GetSha256());
    }

    [Fact]
    public void Dispose_WithoutLeaveOpen_DisposesTheInnerStream()
    {
        var inner = new MemoryStream();
        new HashingWriteStream(inner).Dispose();

        Assert.False(inner.CanWrite);
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var stream = new HashingWriteStream(Stream.Null);
        stream.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stream.Write([1]));
    }
}
