using DkmsPack.IO;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.IO;

public sealed class FileReadStreamTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_GivesTheFileBytes_AndSeekFromTheEndReadsTheTail()
    {
        string path = _temp.Combine("data.bin");
        byte[] bytes = [.. Enumerable.Range(0, 300_000).Select(i => unchecked((byte)(i * 7)))];
        File.WriteAllBytes(path, bytes);

        using var stream = FileReadStream.Open(path.AsSpan());
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(bytes.Length, stream.Length);

        // What the licence reader does with a large source: the first and the last bytes.
        stream.Seek(-100, SeekOrigin.End);
        byte[] tail = new byte[100];
        Assert.Equal(100, stream.ReadAtLeast(tail, 100, throwOnEndOfStream: false));
        Assert.Equal(bytes[^100..], tail);
        Assert.Equal(0, stream.Read(tail));
    }

    [Fact]
    public void Open_Missing_SaysWhyInTheSystemsWords()
    {
        var error = Assert.Throws<IOException>(() => FileReadStream.Open(_temp.Combine("absent").AsSpan()));

        Assert.Equal("no such file or directory", error.Message);
    }

    [Fact]
    public async Task Open_Fifo_DoesNotWaitForAWriter_AndReadsAsEmpty()
    {
        // A file the scan saw as regular may be a FIFO by the time it is read: the pass must end, not hang.
        string fifo = _temp.Combine("fifo");
        RealTool.RunChecked("mkfifo", fifo);

        Task<int> read = Task.Run(
            () =>
            {
                using var stream = FileReadStream.Open(fifo.AsSpan());
                return stream.Read(new byte[16]);
            },
            TestContext.Current.CancellationToken);

        Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }
}
