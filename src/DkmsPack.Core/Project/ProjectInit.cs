using System.Globalization;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Model;
using DkmsPack.Packaging;
using DkmsPack.Source;

namespace DkmsPack.Project;

/// <summary>
/// <c>dkmspack init</c>: a commented dkmspack.toml for a module tree, with what dkms.conf and the sources tell
/// (name, version, licence, copyright holders) and every key commented out with an example. It never overwrites.
/// </summary>
public static class ProjectInit
{
    /// <summary>Writes DIR/dkmspack.toml and returns its path; an existing file is an error (exit 3), nothing is changed.</summary>
    public static string Write(string sourceDirectory)
    {
        ArgumentNullException.ThrowIfNull(sourceDirectory);
        string path = Path.Combine(sourceDirectory, ProjectFile.FileName);
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw DkmsPackException.Output(path, "already exists; dkmspack init does not overwrite it", "edit it, or remove it to start again");
        }

        byte[] text = Encoding.UTF8.GetBytes(Render(sourceDirectory));
        try
        {
            // CreateNew: O_EXCL, so a file that appeared meanwhile is not overwritten either.
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw DkmsPackException.Output(path, "already exists; dkmspack init does not overwrite it", "edit it, or remove it to start again");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DkmsPackException.Output(path, $"cannot be written ({ex.Message.TrimEnd('.')})");
        }

        return path;
    }

    /// <summary>The file's text for the tree at <paramref name="sourceDirectory"/>.</summary>
    public static string Render(string sourceDirectory)
    {
        string root = Path.GetFullPath(sourceDirectory);
        if (!Directory.Exists(root))
        {
            throw DkmsPackException.Input(sourceDirectory, "no such directory", "give the module's source tree (the directory holding dkms.conf)");
        }

        string display = Path.Combine(sourceDirectory, SpecBuilder.DkmsConfName);
        DkmsConfFileContent file = DkmsConfFile.Read(Path.Combine(root, SpecBuilder.DkmsConfName), display);
        DkmsConf conf;
        bool versionIsPlaceholder = false;
        try
        {
            conf = DkmsConfReader.Read(file.Text, display, new DkmsConfOptions());
        }
        catch (DkmsPackException)
        {
            // A placeholder or computed PACKAGE_VERSION: read it again with one, only to learn the rest.
            conf = DkmsConfReader.Read(file.Text, display, new DkmsConfOptions { Version = "0" });
            versionIsPlaceholder = true;
        }

        string installDirectory = $"usr/src/{conf.PackageName}-{conf.PackageVersion}";
        List<PackageEntry> entries = SourceTree.Scan(root, installDirectory, null, 0, ExclusionRules.ForTree(root, Path.Combine(root, ".dkmspack-init")));
        SourceMetadata.Findings found = SourceMetadata.Read(entries, installDirectory, root);
        string package = DebianNamesFor(conf.PackageName);
        string version = versionIsPlaceholder ? "1.0" : conf.PackageVersion;
        string versionNote = versionIsPlaceholder
            ? "dkms.conf's PACKAGE_VERSION is a placeholder or computed: set it here or with --version"
            : $"dkms.conf says {conf.PackageVersion}; set it only to replace a placeholder";

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # dkmspack.toml: how dkmspack packages {conf.PackageName} (written by dkmspack init; TOML 1.1).
            # Every setting is commented out: uncomment what you need. The command line overrides this file,
            # and this file overrides what dkmspack derives from dkms.conf and the sources.
            # The module is {conf.PackageName} (PACKAGE_NAME in dkms.conf, which names the package: {package}).

            # version = {Toml(version)}             # {versionNote}
            # revision = "1"                      # Debian revision and RPM Release
            # maintainer = "Jane Doe <jane@example.org>"
            # summary = "DKMS source of the {conf.PackageName} kernel module"
            # description = "A longer description.\n\nParagraphs are separated by blank lines."
            # license = {Toml(found.License?.ToString() ?? "GPL-2.0-only")}        # {(found.License is null ? "no SPDX tag or MODULE_LICENSE found: set it" : "derived from the sources")}
            # copyright = {Toml(found.CopyrightHolders.Count > 0 ? string.Join("; ", found.CopyrightHolders) : "2026 Jane Doe <jane@example.org>")}    # {(found.CopyrightHolders.Count > 0 ? "derived from the sources' Copyright lines" : "no Copyright line found")}
            # homepage = "https://example.org/{conf.PackageName}"
            # compression = "gzip"                # gzip, zstd, xz or none
            # compression-level = 9               # xz: 0-9, or "9e" for extreme
            # formats = ["deb", "rpm"]            # what dkmspack build writes
            # output = "dist"                     # relative to this file
            # templates = "packaging/templates"   # template overrides, relative to this file
            # exclude = ["tests/**"]              # tree paths not to ship in /usr/src
            # changelog = "debian/changelog"      # a changelog in Debian's format, or else [[changelog]] tables below

            # Relationships, in Debian's syntax, for both formats; [deb.relationships] and [rpm.relationships]
            # replace a kind's list for one format. rpm gets depends as Requires, recommends as Recommends,
            # suggests as Suggests, conflicts and breaks as Conflicts, replaces as Obsoletes, provides as Provides.
            # The dependency on dkms is always there.
            # [relationships]
            # depends = ["kmod"]
            # recommends = ["linux-headers-amd64 | linux-headers-generic"]
            # suggests = ["{conf.PackageName}-utils"]
            # conflicts = ["{conf.PackageName}-modules (<< {version})"]
            # breaks = ["{conf.PackageName}-tools (<< {version})"]
            # replaces = ["{conf.PackageName}-modules (<< {version})"]
            # provides = ["{conf.PackageName}-modules (= {version})"]
            #
            # [rpm.relationships]
            # recommends = ["kernel-devel"]

            # Files installed outside /usr/src/{conf.PackageName}-VERSION. They are not also shipped with the sources,
            # unless keep-in-source is true. A destination ending in / is a directory (the file keeps its name);
            # files under /etc are configuration files (deb conffiles, RPM %config(noreplace)).
            # [[files]]
            # source = "udev/60-{conf.PackageName}.rules"
            # destination = "/usr/lib/udev/rules.d/"
            #
            # [[files]]
            # source = "{conf.PackageName}.conf"
            # destination = "/etc/modprobe.d/{conf.PackageName}.conf"
            # config = true
            #
            # [[files]]
            # source = "firmware/*"
            # destination = "/usr/lib/firmware/{conf.PackageName}/"
            # mode = "0644"
            #
            # [[files]]
            # source = "README.md"
            # destination = "/usr/share/doc/{package}/"
            # keep-in-source = true

            # Directories the package owns (and removes when empty), and symlinks.
            # [[directories]]
            # path = "/usr/lib/firmware/{conf.PackageName}"
            #
            # [[symlinks]]
            # path = "/usr/lib/firmware/{conf.PackageName}-current"
            # target = "{conf.PackageName}"

            # A changelog written here instead of a file, newest entry first.
            # [[changelog]]
            # version = "{version}-1"
            # date = 2026-01-31
            # author = "Jane Doe <jane@example.org>"   # default: the maintainer
            # changes = ["First package."]

            # Script fragments (files of the tree), run after the package's own steps: post-install in the deb
            # postinst and RPM %post, pre-remove in prerm and %preun, post-remove in postrm and %postun.
            # udev rules are reloaded after install and removal when the package ships some (set udev to false: never).
            # [hooks]
            # udev = true
            # post-install = "packaging/post-install.sh"
            # pre-remove = "packaging/pre-remove.sh"
            # post-remove = "packaging/post-remove.sh"
            #
            # [deb.hooks]
            # post-install = "packaging/post-install.deb.sh"

            """);
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static string DebianNamesFor(string moduleName) => Packaging.Deb.DebianNames.PackageName(moduleName);

    /// <summary>A TOML basic string.</summary>
    public static string Toml(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder("\"");
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append(@"\\"),
                '\n' => quoted.Append(@"\n"),
                _ when char.IsControl(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
