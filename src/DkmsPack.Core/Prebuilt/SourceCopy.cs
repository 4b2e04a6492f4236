using DkmsPack.Model;

namespace DkmsPack.Prebuilt;

/// <summary>
/// Writes the packaged sources (what /usr/src/NAME-VERSION would hold: the rewritten dkms.conf, without the files
/// packaging leaves out) into a build directory, as DKMS's <c>cp -a source build</c> does. The tree itself is never
/// built in.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class SourceCopy
{
    public static void Write(PackageSpec spec, string destination)
    {
        Directory.CreateDirectory(destination);
        string prefix = spec.SourceDirectory + "/";
        foreach (PackageEntry entry in spec.SourceEntries)
        {
            if (!entry.Path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string path = Path.Combine(destination, entry.Path[prefix.Length..]);
            switch (entry.Kind)
            {
                case EntryKind.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case EntryKind.Symlink:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.CreateSymbolicLink(path, entry.LinkTarget!);
                    break;
                default:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using (Stream source = entry.Content!.Open())
                    using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                    {
                        source.CopyTo(target);
                    }

                    File.SetUnixFileMode(path, (UnixFileMode)entry.Permissions);
                    break;
            }
        }
    }
}
