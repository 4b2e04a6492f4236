using DkmsPack.Diagnostics;
using DkmsPack.Dkms;

namespace DkmsPack.Source;

/// <summary>
/// What a tree made for <c>dkms mkdeb</c>/<c>mkrpm</c> (DKMS before 3.0) carries that dkmspack does not read: their
/// customisation lived in the tree as <c>NAME-dkms-mkdeb/</c> (a debian/ directory of templates) and
/// <c>NAME-dkms-mkrpm.spec</c>. They are packaged like any file, but change nothing, so the user must hear of it.
/// </summary>
public static class LegacyDkmsPackaging
{
    public static IEnumerable<Diagnostic> Findings(string root, string displayRoot, DkmsConf conf, SourceLocation.NamedModule? named)
    {
        ArgumentNullException.ThrowIfNull(conf);
        string templates = OptionRef.To("templates");
        string debTemplates = $"{conf.PackageName}-dkms-mkdeb";
        if (Directory.Exists(Path.Combine(root, debTemplates)))
        {
            yield return Diagnostic.Warning(
                Path.Combine(displayRoot, debTemplates),
                0,
                "holds dkms mkdeb's Debian templates, which dkmspack does not read",
                $"carry the change over into a {templates} directory (deb/control.sbn, deb/postinst.sbn, deb/prerm.sbn …; see the README's Templates section), then remove it",
                DiagnosticCode.SourceTree);
        }

        string rpmTemplate = $"{conf.PackageName}-dkms-mkrpm.spec";
        if (File.Exists(Path.Combine(root, rpmTemplate)))
        {
            yield return Diagnostic.Warning(
                Path.Combine(displayRoot, rpmTemplate),
                0,
                "is dkms mkrpm's spec template, which dkmspack does not read",
                $"carry the change over into a {templates} directory (rpm/spec.sbn for --spec, rpm/posttrans.sbn, rpm/preun.sbn …; see the README's Templates section), then remove it",
                DiagnosticCode.SourceTree);
        }

        if (named is not null && (named.Name != conf.PackageName || named.Version != conf.PackageVersion))
        {
            yield return Diagnostic.Warning(
                conf.DisplayPath,
                0,
                $"says {conf.PackageName}/{conf.PackageVersion}, but the tree was named as {named.Name}/{named.Version}; the package is {conf.PackageName} {conf.PackageVersion}",
                "check that this is the tree you meant",
                DiagnosticCode.DkmsConf);
        }
    }
}
