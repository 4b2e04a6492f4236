using System.Globalization;
using System.Security.Cryptography;
using DkmsPack.Diagnostics;
using DkmsPack.Source;

namespace DkmsPack.IO;

/// <summary>One file an <see cref="OutputTransaction"/> wrote, measured and hashed while it was written.</summary>
/// <param name="FileName">The name in the output directory.</param>
/// <param name="Path">The full path it has once committed.</param>
public sealed record WrittenFile(string FileName, string Path, long Size, string Sha256);

/// <summary>
/// All of a run's outputs commit together or not at all. Every file is written into one hidden scratch directory
/// inside the output directory (so the final renames stay on one file system), hashed on its way to disk, and
/// renamed into place only by <see cref="Commit"/>. Disposing without a commit, an exception, or a signal
/// (<see cref="AbortAll"/>) deletes the scratch directory, so nothing new is ever visible half-written.
/// The scratch directory's name starts with <see cref="ScratchPrefix"/>, which the tree scan
/// never packages, even when a killed run left one behind inside the module tree.
/// </summary>
public sealed class OutputTransaction : IDisposable
{
    /// <summary>Every scratch name starts with this; the tree scan never packages such a name.</summary>
    public const string ScratchPrefix = ExclusionRules.ScratchPrefix;

    private static readonly Lock s_activeLock = new();
    private static readonly List<OutputTransaction> s_active = [];

    private readonly string _directory;
    private readonly List<WrittenFile> _files = [];
    private bool _disposed;

    private OutputTransaction(string directory, string scratchDirectory)
    {
        _directory = directory;
        ScratchDirectory = scratchDirectory;
    }

    /// <summary>The hidden directory where outputs (and writers' own scratch files) live until the commit.</summary>
    public string ScratchDirectory { get; }

    /// <summary>The files written so far, in the order they were written.</summary>
    public IReadOnlyList<WrittenFile> Files => _files;

    /// <summary>
    /// Creates the output directory if needed and a fresh scratch directory inside it, removing the scratch
    /// directories that runs which no longer exist left there (a SIGKILL leaves no chance to clean up).
    /// </summary>
    public static OutputTransaction Begin(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        string directory;
        try
        {
            directory = Directory.CreateDirectory(outputDirectory).FullName;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(outputDirectory, $"cannot create the output directory ({ex.Message.TrimEnd('.')})", $"pass a writable {OptionRef.To("output")} directory", ex);
        }

        RemoveAbandonedScratch(directory);
        string scratch = Path.Combine(directory, ScratchName(Environment.ProcessId));
        try
        {
            Directory.CreateDirectory(scratch);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(directory, $"cannot be written ({ex.Message.TrimEnd('.')})", $"pass a writable {OptionRef.To("output")} directory", ex);
        }

        var transaction = new OutputTransaction(directory, scratch);
        lock (s_activeLock)
        {
            s_active.Add(transaction);
        }

        return transaction;
    }

    /// <summary>
    /// Writes one output through <paramref name="write"/>, counting and hashing its bytes as they go out.
    /// A second output of the same name is a bug in the caller.
    /// </summary>
    public WrittenFile Write(string fileName, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_files.Exists(f => f.FileName == fileName))
        {
            throw new InvalidOperationException($"{fileName} is written twice in one run");
        }

        string scratchPath = Path.Combine(ScratchDirectory, fileName);
        string finalPath = Path.Combine(_directory, fileName);
        try
        {
            using var file = new FileStream(scratchPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            using var hashing = new HashingWriteStream(file, leaveOpen: true);
            write(hashing);
            hashing.Flush();
            var written = new WrittenFile(fileName, finalPath, hashing.BytesWritten, hashing.GetSha256Hex());
            _files.Add(written);
            return written;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(finalPath, $"cannot be written ({ex.Message.TrimEnd('.')})", $"check the {OptionRef.To("output")} directory and free space", ex);
        }
    }

    /// <summary>
    /// Opens for reading an output this run has already written (and closed), still in the scratch directory: a
    /// companion that signs its package (an Arch <c>.sig</c>) reads the package's final bytes from here.
    /// </summary>
    public FileStream OpenWritten(string fileName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_files.Exists(f => f.FileName == fileName))
        {
            throw new InvalidOperationException($"{fileName} has not been written in this run");
        }

        return new FileStream(Path.Combine(ScratchDirectory, fileName), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
    }

    /// <summary>
    /// Renames every output into the output directory, replacing files of the same names. A signal that arrives
    /// meanwhile waits for the renames to finish, so the outputs appear all together.
    /// </summary>
    public IReadOnlyList<WrittenFile> Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (s_activeLock)
        {
            foreach (WrittenFile file in _files)
            {
                try
                {
                    File.Move(Path.Combine(ScratchDirectory, file.FileName), file.Path, overwrite: true);
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
                {
                    throw DkmsPackException.Output(file.Path, $"cannot be written ({ex.Message.TrimEnd('.')})", $"check the {OptionRef.To("output")} directory", ex);
                }
            }

        }

        return _files;
    }

    /// <summary>
    /// Deletes the scratch directory of every transaction still open: the signal handler's clean-up, which runs
    /// while writers may still be busy on other threads. Holding the lock keeps a commit from starting.
    /// </summary>
    public static void AbortAll()
    {
        lock (s_activeLock)
        {
            foreach (OutputTransaction transaction in s_active)
            {
                transaction._disposed = true;
                DeleteScratch(transaction.ScratchDirectory);
            }

            s_active.Clear();
        }
    }

    public void Dispose()
    {
        lock (s_activeLock)
        {
            s_active.Remove(this);
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        DeleteScratch(ScratchDirectory);
    }

    /// <summary><c>.dkmspack-PID-RANDOM</c>: the process ID tells later runs whether its owner is still alive.</summary>
    private static string ScratchName(int processId) =>
        string.Create(CultureInfo.InvariantCulture, $"{ScratchPrefix}{processId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");

    private static void RemoveAbandonedScratch(string directory)
    {
        try
        {
            foreach (string candidate in Directory.EnumerateDirectories(directory, ScratchPrefix + "*"))
            {
                if (OwnerIsGone(Path.GetFileName(candidate)))
                {
                    DeleteScratch(candidate);
                }
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Leftovers are harmless (the tree scan skips them); failing to list them must not stop the run.
        }
    }

    /// <summary>True when the process that named this scratch directory has ended (Linux: no /proc entry).</summary>
    private static bool OwnerIsGone(string name)
    {
        string rest = name[ScratchPrefix.Length..];
        int dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int processId))
        {
            return false;
        }

        if (processId == Environment.ProcessId)
        {
            return false;
        }

        return OperatingSystem.IsLinux() && !Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}"));
    }

    private static void DeleteScratch(string path)
    {
        // A writer thread may still create a file while the signal handler deletes: try a few times.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Retried; if it still fails, the prefix keeps the leftover out of later packages.
            }
        }
    }
}
