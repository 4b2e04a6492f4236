using System.Globalization;
using System.Reflection;
using DkmsPack.Model;
using Scriban.Runtime;

namespace DkmsPack.Rendering;

/// <summary>
/// Builds the variables every template sees. The README lists them; a format adds its own under
/// <c>package</c> (e.g. <c>package.installed_size</c> for Debian).
/// </summary>
public static class TemplateModel
{
    /// <summary>dkmspack's version as the templates and packages report it.</summary>
    public static string ToolVersion { get; } =
        typeof(TemplateModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static ScriptObject Create(PackageSpec spec, PackageIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(identity);
        DateTimeOffset buildTime = DateTimeOffset.FromUnixTimeSeconds(spec.BuildTime);
        return new ScriptObject
        {
            ["module"] = new ScriptObject
            {
                ["name"] = spec.ModuleName,
                ["version"] = spec.ModuleVersion,
                ["autoinstall"] = spec.AutoInstall,
                ["source_dir"] = "/" + spec.SourceDirectory,
            },
            ["package"] = new ScriptObject
            {
                ["name"] = identity.Name,
                ["version"] = identity.Version,
                ["revision"] = spec.Revision,
                ["file_name"] = identity.FileName,
            },
            ["maintainer"] = spec.Maintainer,
            ["summary"] = spec.Summary,
            ["description"] = spec.Description,
            ["license"] = spec.License,
            ["homepage"] = spec.Homepage ?? string.Empty,
            ["copyright"] = spec.Copyright,
            ["build"] = new ScriptObject
            {
                ["epoch"] = spec.BuildTime,
                ["year"] = buildTime.Year,
                // RFC 5322 date as debian/changelog wants it: "Tue, 01 Sep 2026 12:00:00 +0000".
                ["date_rfc2822"] = buildTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture),
                // RPM %changelog date: "Tue Sep 01 2026".
                ["date_rpm"] = buildTime.ToString("ddd MMM dd yyyy", CultureInfo.InvariantCulture),
            },
            ["tool"] = new ScriptObject
            {
                ["name"] = "dkmspack",
                ["version"] = ToolVersion,
            },
            ["hooks"] = Hooks(spec.Hooks, identity.Format),
            ["changelog"] = Changelog(spec.Changelog),
        };
    }

    /// <summary>
    /// <c>hooks.udev</c>, and per hook point (<c>post_install</c>, <c>pre_remove</c>, <c>post_remove</c>) the user's
    /// fragment for this format ("" when none) and <c>…_origin</c>, the tree file it came from.
    /// </summary>
    private static ScriptObject Hooks(PackageHooks hooks, string format)
    {
        var model = new ScriptObject { ["udev"] = hooks.ReloadUdev };
        foreach ((HookPoint point, string name) in (ReadOnlySpan<(HookPoint, string)>)[(HookPoint.PostInstall, "post_install"), (HookPoint.PreRemove, "pre_remove"), (HookPoint.PostRemove, "post_remove")])
        {
            HookFragment? fragment = hooks.For(format, point);
            model[name] = fragment?.Text ?? string.Empty;
            model[name + "_origin"] = fragment?.Origin ?? string.Empty;
        }

        return model;
    }

    /// <summary>The project's changelog entries, newest first (empty: the templates write one entry for this build).</summary>
    private static ScriptArray Changelog(IReadOnlyList<ChangelogEntry> entries)
    {
        var array = new ScriptArray();
        foreach (ChangelogEntry entry in entries)
        {
            DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(entry.Time);
            array.Add(new ScriptObject
            {
                ["version"] = entry.Version,
                ["rpm_version"] = RpmChangelogVersion(entry.Version),
                ["distribution"] = entry.Distribution,
                ["urgency"] = entry.Urgency,
                ["author"] = entry.Author,
                ["changes"] = new ScriptArray(entry.Changes),
                ["date_rfc2822"] = time.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["date_rpm"] = time.ToString("ddd MMM dd yyyy", CultureInfo.InvariantCulture),
            });
        }

        return array;
    }

    /// <summary>
    /// A Debian version as RPM's version-release: the revision after the last '-' is the release, and a '-' left in
    /// the upstream part becomes '_' (as the package's own Version does); an epoch stays.
    /// </summary>
    public static string RpmChangelogVersion(string debianVersion)
    {
        ArgumentNullException.ThrowIfNull(debianVersion);
        int dash = debianVersion.LastIndexOf('-');
        return dash < 0 ? debianVersion : debianVersion[..dash].Replace('-', '_') + debianVersion[dash..];
    }

    /// <summary>The <c>package</c> object of a model, for a format to add its own variables to.</summary>
    /// <summary>
    /// What the prebuilt module templates add: <c>kernel.release</c>, <c>kernel.debian_architecture</c>,
    /// <c>kernel.rpm_architecture</c>, and <c>remake_initrd</c> (REMAKE_INITRD="yes" in dkms.conf).
    /// </summary>
    public static ScriptObject WithKernel(ScriptObject model, KernelTarget kernel, bool remakeInitrd)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(kernel);
        model["kernel"] = new ScriptObject
        {
            ["release"] = kernel.Release,
            ["debian_architecture"] = kernel.DebianArchitecture,
            ["rpm_architecture"] = kernel.RpmArchitecture,
        };
        model["remake_initrd"] = remakeInitrd;
        return model;
    }

    public static ScriptObject Package(ScriptObject model) => (ScriptObject)model["package"]!;
}
