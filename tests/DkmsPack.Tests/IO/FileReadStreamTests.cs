using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Model;
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

    [Fact]
    public void Reopen_ReadsTheNextFileFromItsStart()
    {
        File.WriteAllText(_temp.Combine("a"), "first file");
        File.WriteAllText(_temp.Combine("b"), "second");

        using var stream = FileReadStream.Open(_temp.Combine("a").AsSpan());
        stream.Position = 6;
        Assert.Equal("file", new StreamReader(stream).ReadToEnd());

        stream.Reopen(_temp.Combine("b").AsSpan());

        Assert.Equal(0, stream.Position);
        Assert.Equal(6, stream.Length);
        Assert.Equal("second", new StreamReader(stream).ReadToEnd());
    }

    [Fact]
    public void Reopen_ClosesTheFileBefore_EvenWhenTheNextCannotBeOpened()
    {
        string path = _temp.Combine("a");
        File.WriteAllText(path, "x");
        int before = OpenDescriptors();
        using var stream = FileReadStream.Open(path.AsSpan());
        for (int i = 0; i < 200; i++)
        {
            stream.Reopen(path.AsSpan());
        }

        Assert.Equal(before + 1, OpenDescriptors());
        Assert.Throws<IOException>(() => stream.Reopen(_temp.Combine("absent").AsSpan()));
        Assert.Equal(before, OpenDescriptors());
        Assert.False(stream.CanRead);
        Assert.Throws<ObjectDisposedException>(() => stream.Read(new byte[1]));
    }

    [Fact]
    public void ContentReader_OpensDiskAndMemoryContentsInTurn()
    {
        File.WriteAllText(_temp.Combine("one.c"), "int one;\n");
        File.WriteAllText(_temp.Combine("two.c"), "int two;\n");
        IEntryContent[] contents =
        [
            new DiskContent(_temp.Combine("one.c"), 9),
            new MemoryContent("generated\n"),
            new DiskContent(_temp.Combine("two.c"), 9),
        ];

        using var reader = new ContentReader();
        string[] read = [.. contents.Select(content => new StreamReader(reader.Open(content)).ReadToEnd())];

        Assert.Equal(["int one;\n", "generated\n", "int two;\n"], read);
    }

    [Fact]
    public void ContentReader_UnreadableFile_NamesItAndSaysWhy()
    {
        using var reader = new ContentReader();
        string missing = _temp.Combine("gone.c");

        var error = Assert.Throws<DkmsPackException>(() => reader.Open(new DiskContent(missing, 1)));

        Diagnostic diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(missing, diagnostic.File);
        Assert.Equal("cannot be read (no such file or directory)", diagnostic.Message);
    }

    private static int OpenDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;
}
