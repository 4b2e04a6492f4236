using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Pipeline;

/// <summary>
/// The conditions of the machine a build runs on that must not leak into a package: time zone,
/// locale, umask and working directory.
/// </summary>
/// <param name="ProcessorCount">DOTNET_PROCESSOR_COUNT (null: the machine's), which sets how many threads compress.</param>
internal sealed record HostConditions(string TimeZone, string LcAll, string Lang, string Umask, string? ProcessorCount)
{
    /// <summary>What a typical CI container has, with every core of this machine.</summary>
    public static HostConditions Plain { get; } = new("UTC", "C", "C", "022", null);

    /// <summary>
    /// As far from <see cref="Plain"/> as we can get: UTC+12:45/+13:45, a Turkish locale (dotted and dotless i)
    /// with a German LANG (',' as the decimal separator), a umask that removes every group and other bit, and one core.
    /// </summary>
    public static HostConditions Hostile { get; } = new("Pacific/Chatham", "tr_TR.UTF-8", "de_DE.UTF-8", "077", "1");

    public override string ToString() => $"TZ={TimeZone} LC_ALL={LcAll} LANG={Lang} umask {Umask} DOTNET_PROCESSOR_COUNT={ProcessorCount ?? "(unset)"}";
}

/// <summary>Runs the real dkmspack with <see cref="HostConditions"/>, from a working directory of the test's choice.</summary>
internal static class DkmsPackShell
{
    public static DkmsPackProcess.Result Run(IEnumerable<string> args, HostConditions host, string workingDirectory, string? sourceDateEpoch) =>
        DkmsPackProcess.Run(
            args,
            new Dictionary<string, string?>
            {
                ["TZ"] = host.TimeZone,
                ["LC_ALL"] = host.LcAll,
                ["LANG"] = host.Lang,
                ["DOTNET_PROCESSOR_COUNT"] = host.ProcessorCount,
                ["SOURCE_DATE_EPOCH"] = sourceDateEpoch,
            },
            workingDirectory: workingDirectory,
            umask: host.Umask);

    /// <summary>Fails the test with the command's output unless it exited 0.</summary>
    public static DkmsPackProcess.Result RunChecked(IEnumerable<string> args, HostConditions host, string workingDirectory, string? sourceDateEpoch)
    {
        string[] list = [.. args];
        DkmsPackProcess.Result result = Run(list, host, workingDirectory, sourceDateEpoch);
        Assert.True(result.ExitCode == 0, $"dkmspack {string.Join(' ', list)} ({host}) exited {result.ExitCode}\nstderr:\n{result.StdErr}\nstdout:\n{result.StdOut}");
        return result;
    }
}

/// <summary>Copies of a module tree that differ in everything a checkout may differ in, but not in content.</summary>
internal static class TreeCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>, creating each directory's children in
    /// ordinal name order, or in reverse when <paramref name="reverse"/>; file modes are ANDed with
    /// <paramref name="modeMask"/> (0700 is what a checkout under umask 077 gives).
    /// </summary>
    public static void Copy(string source, string destination, bool reverse, UnixFileMode modeMask)
    {
        Directory.CreateDirectory(destination);
        IEnumerable<FileSystemInfo> children = new DirectoryInfo(source).GetFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal);
        foreach (FileSystemInfo item in reverse ? children.Reverse() : children)
        {
            string target = Path.Combine(destination, item.Name);
            if (item.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (item is DirectoryInfo directory)
            {
                Copy(directory.FullName, target, reverse, modeMask);
                File.SetUnixFileMode(target, File.GetUnixFileMode(directory.FullName) & modeMask);
            }
            else
            {
                File.Copy(item.FullName, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(item.FullName) & modeMask);
            }
        }
    }

    /// <summary>
    /// Sets the mtime of every file and directory below <paramref name="root"/> (not <paramref name="root"/> itself)
    /// to <paramref name="mtime"/>(relative path), children before their directory so that nothing touches it afterwards.
    /// </summary>
    public static void SetMtimes(string root, Func<string, DateTimeOffset> mtime)
    {
        Walk(root, string.Empty);

        void Walk(string directory, string relativeDirectory)
        {
            foreach (FileSystemInfo item in new DirectoryInfo(directory).GetFileSystemInfos())
            {
                string relative = relativeDirectory.Length == 0 ? item.Name : relativeDirectory + "/" + item.Name;
                if (item is DirectoryInfo && item.LinkTarget is null)
                {
                    Walk(item.FullName, relative);
                }

                item.LastWriteTimeUtc = mtime(relative).UtcDateTime;
            }
        }
    }

    /// <summary>Each directory's entry names (by relative path, "." for the root) in the order the file system lists them.</summary>
    public static Dictionary<string, string[]> ListingOrder(string root)
    {
        var listings = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Walk(root, ".");
        return listings;

        void Walk(string directory, string relative)
        {
            string[] names = [.. Directory.EnumerateFileSystemEntries(directory).Select(p => Path.GetFileName(p))];
            listings[relative] = names;
            foreach (string name in names.Where(n => Directory.Exists(Path.Combine(directory, n))))
            {
                Walk(Path.Combine(directory, name), relative + "/" + name);
            }
        }
    }

    /// <summary>Relative paths of every file and directory below <paramref name="root"/>, sorted ordinally.</summary>
    public static IReadOnlyList<string> RelativePaths(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];
}

/// <summary>Reads a .deb with dpkg-deb (the oracle) and the BCL's tar reader, not with dkmspack's own code.</summary>
internal static class DebContents
{
    /// <summary>Every member of data.tar (or control.tar with <paramref name="control"/>) with its mtime, by name ("./usr/...").</summary>
    public static Dictionary<string, DateTimeOffset> Mtimes(string deb, string scratch, bool control = false)
    {
        string tarFile = Path.Combine(scratch, Path.GetFileName(deb) + (control ? ".control.tar" : ".data.tar"));
        RealTool.RunChecked(new RealToolOptions(StdOutFile: tarFile), "dpkg-deb", control ? "--ctrl-tarfile" : "--fsys-tarfile", deb);

        var mtimes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using FileStream stream = File.OpenRead(tarFile);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            mtimes[entry.Name] = entry.ModificationTime;
        }

        return mtimes;
    }

    /// <summary>dpkg-deb -f DEB FIELD.</summary>
    public static string Field(string deb, string field) => RealTool.RunChecked("dpkg-deb", "-f", deb, field).TrimEnd('\n');
}

internal static class FileHash
{
    public static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
