using System.Security.Cryptography;
using DkmsPack.Diagnostics;

namespace DkmsPack.Repository;

/// <summary>The size and digests of one file, taken while it was written.</summary>
/// <param name="Md5">Lower-case hex MD5 (APT's <c>MD5sum</c>, kept for old clients; never trusted alone).</param>
public sealed record FileDigest(long Size, string Sha256, string Md5);

/// <summary>
/// One update of a repository on disk, published last. Every file is first written under a temporary name beside
/// its final one (same directory, so the rename stays on one file system and is atomic, rename(2)), and nothing
/// is renamed until <see cref="Publish"/>, which renames in the order the files were staged. Engines stage
/// content-addressed and new files first and the files clients read first (APT's <c>InRelease</c>, RPM's
/// <c>repomd.xml</c>) last, so that a run stopped at any point leaves the previous repository readable: before
/// the last rename the old entry file still names old files that are all still there. Disposing without
/// publishing deletes the staged files. Only one run may update a repository at a time (<see cref="Lock"/>).
/// </summary>
public sealed class StagedUpdate : IDisposable
{
    /// <summary>Temporary names end with this; a run killed before its renames may leave some, which clients ignore.</summary>
    public const string TemporarySuffix = ".dkmspack-new";

    private const string LockFileName = ".dkmspack-lock";

    private static readonly AsyncLocal<Action<string>?> s_writePointHook = new();

    private readonly string _root;
    private readonly List<(string Temporary, string Final, string Relative)> _staged = [];
    private readonly HashSet<string> _stagedPaths = new(StringComparer.Ordinal);
    private readonly FileStream _lock;
    private bool _published;

    private StagedUpdate(string root, FileStream lockFile)
    {
        _root = root;
        _lock = lockFile;
    }

    /// <summary>The repository's top directory (absolute).</summary>
    public string Root => _root;

    /// <summary>
    /// For tests: called with the repository-relative path at every write point (after a file is staged, and
    /// before each rename); a hook that throws stops the run there, as a crash would.
    /// </summary>
    internal static Action<string>? WritePointHook
    {
        get => s_writePointHook.Value;
        set => s_writePointHook.Value = value;
    }

    /// <summary>Creates the repository directory if needed and takes its lock (one updating run at a time).</summary>
    public static StagedUpdate Lock(string repositoryDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryDirectory);
        string root;
        try
        {
            root = Directory.CreateDirectory(repositoryDirectory).FullName;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(repositoryDirectory, $"cannot create the repository directory ({ex.Message.TrimEnd('.')})", "give a writable directory", ex);
        }

        string lockPath = Path.Combine(root, LockFileName);
        try
        {
            // FileShare.None takes an exclusive flock(2) on Unix: a second run fails here instead of interleaving.
            return new StagedUpdate(root, new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (File.Exists(lockPath))
        {
            throw DkmsPackException.Output(root, "is being updated by another dkmspack run (its lock file .dkmspack-lock is held)", "wait for that run to finish", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(root, $"cannot be written ({ex.Message.TrimEnd('.')})", "give a writable directory", ex);
        }
    }

    /// <summary>The absolute path of a repository-relative path ('/'-separated).</summary>
    public string PathOf(string relative) => Path.Combine(_root, relative);

    /// <summary>Stages bytes for <paramref name="relative"/>.</summary>
    public FileDigest Stage(string relative, ReadOnlySpan<byte> content)
    {
        byte[] copy = content.ToArray();
        return Stage(relative, stream => stream.Write(copy));
    }

    /// <summary>Stages what <paramref name="write"/> writes for <paramref name="relative"/>, measuring and hashing it on the way.</summary>
    public FileDigest Stage(string relative, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(_published, this);
        string final = PathOf(relative);
        string temporary = final + TemporarySuffix;
        FileDigest digest;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            _staged.Add((temporary, final, relative));
            _stagedPaths.Add(relative);
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            using (var hashing = new DigestingWriteStream(file))
            {
                write(hashing);
                hashing.Flush();
                digest = hashing.Digest();
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(final, $"cannot be written ({ex.Message.TrimEnd('.')})", "check the repository directory and free space", ex);
        }

        WritePointHook?.Invoke(relative);
        return digest;
    }

    /// <summary>Stages a copy of <paramref name="source"/>, hashing it while it is copied.</summary>
    public FileDigest StageCopy(string relative, string source) => Stage(relative, output =>
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        input.CopyTo(output, 1 << 16);
    });

    /// <summary>True when <paramref name="relative"/> is already staged in this run.</summary>
    public bool IsStaged(string relative) => _stagedPaths.Contains(relative);

    /// <summary>Drops a staged file (a package copied only to learn its digest turned out to be in the repository already).</summary>
    public void Discard(string relative)
    {
        int index = _staged.FindLastIndex(s => s.Relative == relative);
        if (index >= 0)
        {
            File.Delete(_staged[index].Temporary);
            _staged.RemoveAt(index);
            _stagedPaths.Remove(relative);
        }
    }

    /// <summary>
    /// Renames every staged file into place, in the order staged; a signal meanwhile does not split the
    /// renames from the files they belong to more than a crash would, and a crash leaves the order's guarantee.
    /// </summary>
    public void Publish()
    {
        ObjectDisposedException.ThrowIf(_published, this);
        foreach ((string temporary, string final, string relative) in _staged)
        {
            WritePointHook?.Invoke(relative);
            try
            {
                File.Move(temporary, final, overwrite: true);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw DkmsPackException.Output(final, $"cannot be replaced ({ex.Message.TrimEnd('.')})", "check the repository directory's permissions", ex);
            }
        }

        _published = true;
        _staged.Clear();
        _stagedPaths.Clear();
    }

    /// <summary>Deletes a file that the published repository no longer names (after <see cref="Publish"/>).</summary>
    public void DeleteUnreferenced(string relative)
    {
        WritePointHook?.Invoke(relative);
        try
        {
            File.Delete(PathOf(relative));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(PathOf(relative), $"cannot be removed ({ex.Message.TrimEnd('.')})", "check the repository directory's permissions", ex);
        }
    }

    public void Dispose()
    {
        foreach ((string temporary, _, _) in _staged)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Best effort: a leftover temporary name is never read by a client.
            }
        }

        _staged.Clear();
        _lock.Dispose();
    }

    /// <summary>Counts, SHA-256- and MD5-hashes what passes through to the file.</summary>
    private sealed class DigestingWriteStream(Stream inner) : IO.WriteOnlyStream
    {
        private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
#pragma warning disable CA5351 // MD5 is written for APT's MD5sum field only, next to SHA256, which clients check.
        private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        private long _size;

        public FileDigest Digest() => new(_size, Convert.ToHexStringLower(_sha256.GetHashAndReset()), Convert.ToHexStringLower(_md5.GetHashAndReset()));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _sha256.AppendData(buffer);
            _md5.AppendData(buffer);
            _size += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _sha256.Dispose();
                _md5.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
