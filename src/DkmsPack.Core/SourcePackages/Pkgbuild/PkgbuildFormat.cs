using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Model;
using DkmsPack.Packaging;
using DkmsPack.Packaging.Arch;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.SourcePackages.Pkgbuild;

/// <summary>
/// A PKGBUILD for the AUR (PKGBUILD(5), https://man.archlinux.org/man/PKGBUILD.5; docs/arch-format.md, "PKGBUILD"):
/// the tree tarball (<see cref="SourceTarball"/>, <c>NAME-VERSION.tar.gz</c>) and a PKGBUILD, rendered from
/// <c>arch/PKGBUILD.sbn</c>, whose <c>package()</c> installs every entry of the package <c>--formats arch</c> writes, with
/// its mode, from that tarball, and whose metadata arrays are the .PKGINFO's. makepkg sources a PKGBUILD as bash, so
/// every value in it is single-quoted (<see cref="TemplateFunctions.ShellQuote"/>) and no user value can run.
/// Neither file is a package: they are listed as written, not in SHA256SUMS or the manifest.
/// </summary>
public sealed class PkgbuildFormat : IPackageFormat
{
    public const string FileName = "PKGBUILD";
    private const string Template = "arch/PKGBUILD.sbn";

    /// <summary>What the tarball's top directory may hold: it is a file name in source=() and a path in package().</summary>
    private static readonly SearchValues<char> s_treeNameCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+~-");

    /// <summary>.PKGINFO's keys (makepkg's write_pkginfo) and the PKGBUILD arrays they come from, in PKGBUILD(5)'s order.</summary>
    private static readonly (string PkgInfo, string Pkgbuild)[] s_arrays =
    [
        ("license", "license"),
        ("depend", "depends"),
        ("optdepend", "optdepends"),
        ("provides", "provides"),
        ("conflict", "conflicts"),
        ("replaces", "replaces"),
        ("backup", "backup"),
    ];

    public string Name => "pkgbuild";

    public PackageIdentity Identify(PackageSpec spec)
    {
        PackageIdentity package = new ArchPackageFormat().Identify(spec);
        string tree = SourceTarball.TreeName(spec);
        if (tree.AsSpan().ContainsAnyExcept(s_treeNameCharacters))
        {
            throw DkmsPackException.Input("dkms.conf", $"\"{tree}\" cannot name a PKGBUILD's source tarball: only letters, digits and . _ + ~ - can", "give PACKAGE_NAME and PACKAGE_VERSION only those characters");
        }

        return package with { Format = Name, FileName = FileName };
    }

    /// <summary>The tarball first, then the PKGBUILD, whose sha256sums=() is the tarball's as written.</summary>
    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(identity);
        string tarball = TarballName(spec);
        return
        [
            new PlannedOutput(tarball, null, (output, _) => SourceTarball.Write(spec, output)),
            new PlannedOutput(FileName, null, (output, context) => output.Write(Encoding.UTF8.GetBytes(Render(spec, identity, context.Templates, Sha256Of(tarball, context))))),
        ];
    }

    /// <summary>source=(): <c>NAME-VERSION.tar.gz</c>, which makepkg unpacks into <c>$srcdir/NAME-VERSION/</c>.</summary>
    public static string TarballName(PackageSpec spec) => SourceTarball.TreeName(spec) + ".tar.gz";

    /// <summary>The PKGBUILD's text for a tarball of the given SHA-256.</summary>
    public static string Render(PackageSpec spec, PackageIdentity identity, TemplateSet templates, string tarballSha256)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ScriptObject model = TemplateModel.Create(spec, identity);
        ScriptObject package = TemplateModel.Package(model);
        package["pkgver"] = ArchNames.Version(spec);
        package["pkgrel"] = ArchNames.Release(spec);
        package["source_tarball"] = TarballName(spec);
        package["source_tree"] = SourceTarball.TreeName(spec);
        package["sha256"] = tarballSha256;
        package["arrays"] = Arrays(spec);
        package["entries"] = Entries(spec);
        return TemplateRenderer.Render(templates, Template, model);
    }

    private static string Sha256Of(string fileName, WriteContext context)
    {
        Func<string, Stream> open = context.OpenWritten ?? throw new InvalidOperationException("a PKGBUILD needs its tarball written before it");
        using Stream tarball = open(fileName);
        return Convert.ToHexStringLower(SHA256.HashData(tarball));
    }

    /// <summary>Each non-empty PKGBUILD array (name, values), from the same fields as the .PKGINFO.</summary>
    private static ScriptArray Arrays(PackageSpec spec)
    {
        var fields = ArchPackageFormat.PkgInfoFields(spec).Cast<ScriptObject>().Select(f => ((string)f["key"]!, (string)f["value"]!)).ToList();
        var arrays = new ScriptArray();
        foreach ((string pkgInfo, string pkgbuild) in s_arrays)
        {
            var values = new ScriptArray(fields.Where(f => f.Item1 == pkgInfo).Select(f => (object)f.Item2));
            if (values.Count > 0)
            {
                arrays.Add(new ScriptObject { ["name"] = pkgbuild, ["values"] = values });
            }
        }

        return arrays;
    }

    /// <summary>
    /// Every entry of the Arch package, parents first, as package() recreates it: a directory with its mode, a symbolic
    /// link, or a file copied from its place in the tarball (the sources' path under the tree, an extra's tree path).
    /// </summary>
    private static ScriptArray Entries(PackageSpec spec)
    {
        var array = new ScriptArray();
        foreach (PackageEntry entry in ArchPackageFormat.WithParentDirectories(spec.Entries, spec.BuildTime))
        {
            bool inSources = entry.Path.StartsWith(spec.SourceDirectory + "/", StringComparison.Ordinal);
            string relative = entry.TreePath ?? (inSources ? entry.Path[(spec.SourceDirectory.Length + 1)..] : string.Empty);
            array.Add(new ScriptObject
            {
                ["path"] = entry.Path,
                ["relative"] = relative,
                ["kind"] = entry.Kind.ToString().ToLowerInvariant(),
                ["mode"] = Convert.ToString(entry.Permissions, 8).PadLeft(4, '0'),
                ["target"] = entry.LinkTarget ?? string.Empty,
            });
        }

        return array;
    }
}
