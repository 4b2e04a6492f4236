using DkmsPack.Diagnostics;

namespace DkmsPack.Source;

/// <summary>
/// Where the module tree is, given as <c>dkms mkdeb</c> took it before DKMS 3.0 dropped the command: a directory, or a
/// module and version whose tree sits at <c>/usr/src/NAME-VERSION</c> (where <c>dkms add</c> expects it), written
/// <c>NAME/VERSION</c>, <c>-m NAME/VERSION</c> or <c>-m NAME -v VERSION</c>.
/// </summary>
public static class SourceLocation
{
    /// <summary>DKMS's source tree (dkms <c>--sourcetree</c>'s default).</summary>
    public const string DefaultSourceRoot = "/usr/src";

    /// <summary>The module and version the user named, for the check that the tree's dkms.conf says the same.</summary>
    public sealed record NamedModule(string Name, string Version);

    /// <summary>The tree's directory and, when it was named by module and version, those.</summary>
    public sealed record Resolved(string Directory, NamedModule? Module);

    /// <param name="argument">The SOURCE-DIR argument, or null.</param>
    /// <param name="module">-m: NAME or NAME/VERSION, or null.</param>
    /// <param name="moduleVersion">-v: VERSION, or null.</param>
    /// <param name="sourceRoot">--source-root, where NAME-VERSION trees live.</param>
    /// <exception cref="DkmsPackException">The forms contradict each other or name no tree (option errors, exit 1; a missing tree: exit 2).</exception>
    public static Resolved Resolve(string? argument, string? module, string? moduleVersion, string sourceRoot)
    {
        ArgumentNullException.ThrowIfNull(sourceRoot);
        string m = OptionRef.To("module");
        string v = OptionRef.To("module-version");
        if (argument is not null && (module is not null || moduleVersion is not null))
        {
            throw DkmsPackException.Options($"the source tree is given twice: as \"{argument}\" and with {m}/{v}", "give one of them");
        }

        if (module is not null)
        {
            NamedModule named = SplitModule(module) is { } both
                ? (moduleVersion is null || moduleVersion == both.Version ? both : throw DkmsPackException.Options($"{m} {module} names version {both.Version}, {v} says {moduleVersion}", "give the version once"))
                : new NamedModule(module, moduleVersion ?? throw DkmsPackException.Options($"{m} {module} needs a version", $"add {v} VERSION, or write {m} {module}/VERSION"));
            return new Resolved(TreeOf(named, sourceRoot), named);
        }

        if (moduleVersion is not null)
        {
            throw DkmsPackException.Options($"{v} {moduleVersion} needs {m} NAME");
        }

        if (argument is null)
        {
            throw DkmsPackException.Options("no source tree given", $"give the directory holding dkms.conf (e.g. .), or the module as NAME/VERSION or {m} NAME {v} VERSION (its tree in {sourceRoot}/NAME-VERSION)");
        }

        // A directory wins: NAME/VERSION is read as a module only when no such directory exists here.
        if (Directory.Exists(argument) || SplitModule(argument) is not { } fromArgument || argument.StartsWith('.'))
        {
            return new Resolved(argument, null);
        }

        return new Resolved(TreeOf(fromArgument, sourceRoot), fromArgument);
    }

    /// <summary>"NAME/VERSION" with exactly one slash and no empty, "." or ".." part; null for anything else.</summary>
    private static NamedModule? SplitModule(string text)
    {
        string[] parts = text.Split('/');
        return parts.Length == 2 && parts.All(part => part.Length > 0 && part is not "." and not "..") ? new NamedModule(parts[0], parts[1]) : null;
    }

    private static string TreeOf(NamedModule module, string sourceRoot)
    {
        string tree = Path.Combine(sourceRoot, $"{module.Name}-{module.Version}");
        return Directory.Exists(tree)
            ? tree
            : throw DkmsPackException.Input(tree, $"no such directory, so there is no tree for {module.Name}/{module.Version}", $"put the module's tree there, as dkms add expects, or pass {OptionRef.To("source-root")} DIR");
    }
}
