using DkmsPack.Model;

namespace DkmsPack.Packaging;

/// <summary>
/// Counts the files a writer has written out of the <paramref name="entries"/> it writes (for a deb, the sources
/// and the doc files), and reports them, so every format reports alike.
/// </summary>
public sealed class ProgressCounter(string format, IReadOnlyList<PackageEntry> entries, IProgress<PackagingProgress>? progress)
{
    private readonly int _filesTotal = entries.Count(e => e.Kind == EntryKind.File);
    private readonly long _bytesTotal = entries.Sum(e => e.Kind == EntryKind.File ? e.Size : 0);
    private int _filesDone;
    private long _bytesDone;

    public void FileWritten(long size)
    {
        if (progress is null)
        {
            return;
        }

        _filesDone++;
        _bytesDone += size;
        progress.Report(new PackagingProgress(format, _filesDone, _filesTotal, _bytesDone, _bytesTotal));
    }
}
