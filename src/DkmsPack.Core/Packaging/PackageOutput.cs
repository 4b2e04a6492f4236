using DkmsPack.Diagnostics;
using DkmsPack.Model;
using DkmsPack.Rendering;

namespace DkmsPack.Packaging;

/// <summary>
/// Writes one package into the output directory atomically: under a temporary name first, renamed
/// at the end, and deleted on any failure, so a half-written package is never left behind.
/// </summary>
public static class PackageOutput
{
    public static string Write(IPackageWriter writer, PackageSpec spec, TemplateSet templates, string outputDirectory, IProgress<PackagingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        string fileName = writer.FileName(spec);
        string directory = EnsureDirectory(outputDirectory);
        string finalPath = Path.Combine(directory, fileName);
        string temporaryPath = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var output = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                writer.Write(spec, templates, output, directory, progress);
                output.Flush(flushToDisk: false);
            }

            File.Move(temporaryPath, finalPath, overwrite: true);
            return finalPath;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(finalPath, $"cannot be written ({ex.Message.TrimEnd('.')})", $"check the {OptionRef.To("output")} directory and free space", ex);
        }
        finally
        {
            TryDelete(temporaryPath);
        }
    }

    private static string EnsureDirectory(string outputDirectory)
    {
        try
        {
            return Directory.CreateDirectory(outputDirectory).FullName;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Output(outputDirectory, $"cannot create the output directory ({ex.Message.TrimEnd('.')})", $"pass a writable {OptionRef.To("output")} directory", ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Nothing more can be done; the name starts with '.' and ends with .tmp, so it is recognisable.
        }
    }
}
