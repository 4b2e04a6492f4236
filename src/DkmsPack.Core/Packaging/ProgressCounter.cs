using DkmsPack.Model;

namespace DkmsPack.Packaging;

/// <summary>Counts the files a writer has written and reports them, so every format reports alike.</summary>
internal sealed class ProgressCounter(string format, PackageSpec spec, IProgress<PackagingProgress>? progress)
{
    private readonly int _filesTotal = spec.SourceEntries.Count(e => e.Kind == EntryKind.File);
    private readonly long _bytesTotal = spec.ContentSize;
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
        progress.Report(new PackagingProgress(format, Math.Min(_filesDone, _filesTotal), _filesTotal, Math.Min(_bytesDone, _bytesTotal), _bytesTotal));
    }
}
