using System.Security.Cryptography;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Model;
using DkmsPack.Rendering;

namespace DkmsPack.Packaging;

/// <summary>One package written by a build.</summary>
public sealed record BuiltPackage(string Path, string Format, string Name, string Version, long Size, string Sha256);

/// <summary>What a build produced, and the warnings worth showing.</summary>
public sealed record BuildOutcome(IReadOnlyList<BuiltPackage> Packages, DkmsConf Conf, PackageSpec Spec, IReadOnlyList<Diagnostic> Warnings);

/// <summary>
/// The engine's front door: reads the tree once and writes every requested format from that one reading.
/// </summary>
public static class PackageBuild
{
    public const string ChecksumsFileName = "SHA256SUMS";

    public static BuildOutcome Run(BuildRequest request, IReadOnlyList<IPackageWriter> writers, DateTimeOffset now, IProgress<PackagingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writers);
        SpecBuilder.Result built = SpecBuilder.Build(request, now);
        TemplateSet templates = TemplateSet.For(request.TemplatesDirectory);

        var packages = new List<BuiltPackage>();
        foreach (IPackageWriter writer in writers)
        {
            // Names are computed (and validated) before anything is written.
            string name = writer.PackageName(built.Spec);
            string version = writer.PackageVersion(built.Spec);
            string path = PackageOutput.Write(writer, built.Spec, templates, request.OutputDirectory, progress);
            packages.Add(Describe(path, writer.Format, name, version));
        }

        return new BuildOutcome(packages, built.Conf, built.Spec, built.Warnings);
    }

    /// <summary>Writes the rendered RPM spec (<c>NAME-dkms.spec</c>) into the output directory and returns its path.</summary>
    public static string WriteSpec(PackageSpec spec, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var writer = new Rpm.RpmPackageWriter();
        TemplateSet templates = TemplateSet.For(request.TemplatesDirectory);
        string path = Path.Combine(Path.GetFullPath(request.OutputDirectory), writer.PackageName(spec) + ".spec");
        WriteTextAtomically(path, writer.RenderSpec(spec, templates));
        return path;
    }

    /// <summary>Writes SHA256SUMS beside the packages, in the format <c>sha256sum -c</c> reads.</summary>
    public static string WriteChecksums(IReadOnlyList<BuiltPackage> packages, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var text = new StringBuilder();
        foreach (BuiltPackage package in packages.OrderBy(p => Path.GetFileName(p.Path), StringComparer.Ordinal))
        {
            text.Append(package.Sha256).Append("  ").Append(Path.GetFileName(package.Path)).Append('\n');
        }

        string path = Path.Combine(Path.GetFullPath(outputDirectory), ChecksumsFileName);
        WriteTextAtomically(path, text.ToString());
        return path;
    }

    private static void WriteTextAtomically(string path, string text)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            File.Delete(temporary);
            throw Diagnostics.DkmsPackException.Output(path, $"cannot be written ({ex.Message.TrimEnd('.')})", $"check the {Diagnostics.OptionRef.To("output")} directory", ex);
        }
    }

    private static BuiltPackage Describe(string path, string format, string name, string version)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new BuiltPackage(path, format, name, version, stream.Length, sha256);
    }
}
