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
        };
    }

    /// <summary>The <c>package</c> object of a model, for a format to add its own variables to.</summary>
    public static ScriptObject Package(ScriptObject model) => (ScriptObject)model["package"]!;
}
