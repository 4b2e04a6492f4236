namespace DkmsPack.Tests.Support;

/// <summary>A temporary directory that is deleted, with everything in it, when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    private const string Tmpfs = "/dev/shm";

    public TempDirectory()
        : this(Directory.CreateTempSubdirectory("dkmspack-test-").FullName, onTmpfs: false)
    {
    }

    private TempDirectory(string path, bool onTmpfs)
    {
        Path = path;
        OnTmpfs = onTmpfs;
    }

    public string Path { get; }

    /// <summary>True when directory listings here follow creation order (tmpfs lists newest first; ext4 lists by name hash).</summary>
    public bool OnTmpfs { get; }

    /// <summary>On tmpfs (/dev/shm) when there is a writable one, so that two copies created in opposite orders really list differently.</summary>
    public static TempDirectory PreferTmpfs()
    {
        if (IsTmpfs(Tmpfs))
        {
            try
            {
                return new TempDirectory(Directory.CreateDirectory(System.IO.Path.Combine(Tmpfs, "dkmspack-test-" + Guid.NewGuid().ToString("N"))).FullName, onTmpfs: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not writable here: fall back to /tmp.
            }
        }

        return new TempDirectory();
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Copies a directory tree (files, modes and symlinks) below this one and returns the copy's path.</summary>
    public string CopyTree(string source, string name)
    {
        string destination = Combine(name);
        Copy(new DirectoryInfo(source), destination);
        return destination;

        static void Copy(DirectoryInfo from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (FileSystemInfo item in from.GetFileSystemInfos())
            {
                string target = System.IO.Path.Combine(to, item.Name);
                if (item.LinkTarget is { } link)
                {
                    File.CreateSymbolicLink(target, link);
                }
                else if (item is DirectoryInfo dir)
                {
                    Copy(dir, target);
                }
                else
                {
                    File.Copy(item.FullName, target);
                    File.SetUnixFileMode(target, File.GetUnixFileMode(item.FullName));
                }
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsTmpfs(string mountPoint) =>
        File.Exists("/proc/mounts")
        && File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).Any(f => f.Length > 2 && f[1] == mountPoint && f[2] == "tmpfs");
}
