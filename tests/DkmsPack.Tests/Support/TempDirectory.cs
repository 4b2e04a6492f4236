namespace DkmsPack.Tests.Support;

/// <summary>A directory under /tmp that is deleted, with everything in it, when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("dkmspack-test-").FullName;
    }

    public string Path { get; }

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
}
