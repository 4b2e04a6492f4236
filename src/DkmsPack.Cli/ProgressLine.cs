using System.Diagnostics;
using System.Globalization;
using DkmsPack.Packaging;

namespace DkmsPack.Cli;

/// <summary>
/// A progress line on a terminal's stderr, redrawn at most ten times a second and erased at the end.
/// Reports arrive on the writer's own thread, so this is a plain synchronous IProgress.
/// </summary>
internal sealed class ProgressLine(TextWriter error) : IProgress<PackagingProgress>, IDisposable
{
    private static readonly long s_interval = Stopwatch.Frequency / 10;
    private long _lastDraw;
    private bool _drawn;

    /// <summary>A progress line when stderr is a terminal and not --quiet; null otherwise.</summary>
    public static ProgressLine? ForTerminal(TextWriter error, bool quiet) =>
        quiet || Console.IsErrorRedirected ? null : new ProgressLine(error);

    public void Report(PackagingProgress value)
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _lastDraw < s_interval && value.FilesDone != value.FilesTotal)
        {
            return;
        }

        _lastDraw = now;
        _drawn = true;
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{value.Format}: {value.FilesDone}/{value.FilesTotal} files, {value.BytesDone / 1048576.0:0.0}/{value.BytesTotal / 1048576.0:0.0} MiB\u001b[K"));
    }

    public void Dispose()
    {
        if (_drawn)
        {
            error.Write("\r\u001b[K");
        }
    }
}
