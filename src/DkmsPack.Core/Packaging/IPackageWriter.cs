using DkmsPack.Model;
using DkmsPack.Rendering;

namespace DkmsPack.Packaging;

/// <summary>One output format (deb, rpm). Implementations live in a folder of their own.</summary>
public interface IPackageWriter
{
    /// <summary>The format's short name, as given to <c>--formats</c>: "deb", "rpm".</summary>
    string Format { get; }

    /// <summary>The format's package name for the spec, e.g. <c>apple-gmux-dkms</c>.</summary>
    string PackageName(PackageSpec spec);

    /// <summary>The format's full version string, e.g. <c>0.1-1</c>.</summary>
    string PackageVersion(PackageSpec spec);

    /// <summary>The conventional file name, e.g. <c>apple-gmux-dkms_0.1-1_all.deb</c>.</summary>
    string FileName(PackageSpec spec);

    /// <summary>
    /// Writes the package to <paramref name="output"/>. Scratch files go to <paramref name="scratchDirectory"/>
    /// so memory stays bounded whatever the tree size. <paramref name="progress"/> hears about every file written.
    /// </summary>
    void Write(PackageSpec spec, TemplateSet templates, Stream output, string scratchDirectory, IProgress<PackagingProgress>? progress = null);
}
