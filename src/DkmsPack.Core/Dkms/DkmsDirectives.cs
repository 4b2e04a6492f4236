namespace DkmsPack.Dkms;

/// <summary>
/// The names dkms.conf uses, as DKMS reads them (dkms@HEAD <c>dkms_conf_variables</c>, <c>read_conf</c>,
/// <c>read_conf_strict</c>; docs/dkms-conf.md).
/// </summary>
internal static class DkmsDirectives
{
    public const string PackageName = "PACKAGE_NAME";
    public const string PackageVersion = "PACKAGE_VERSION";
    public const string BuiltModuleName = "BUILT_MODULE_NAME";
    public const string BuiltModuleLocation = "BUILT_MODULE_LOCATION";
    public const string DestModuleName = "DEST_MODULE_NAME";
    public const string DestModuleLocation = "DEST_MODULE_LOCATION";
    public const string Strip = "STRIP";
    public const string Make = "MAKE";
    public const string Patch = "PATCH";
    public const string AutoInstall = "AUTOINSTALL";
    public const string Clean = "CLEAN";
    public const string BuildExclusiveConfig = "BUILD_EXCLUSIVE_CONFIG";
    public const string BuildExclusiveKernelMin = "BUILD_EXCLUSIVE_KERNEL_MIN";
    public const string BuildExclusiveKernelMax = "BUILD_EXCLUSIVE_KERNEL_MAX";
    public const string BuildDepends = "BUILD_DEPENDS";
    public const string BuildDependsRebuild = "BUILD_DEPENDS_REBUILD";

    /// <summary>The conditions DKMS 3.3.0 also reads per module record (BUILD_EXCLUSIVE_KERNEL[i] …).</summary>
    public static readonly string[] BuildExclusiveDirectives = ["BUILD_EXCLUSIVE_KERNEL", BuildExclusiveKernelMin, BuildExclusiveKernelMax, "BUILD_EXCLUSIVE_ARCH", BuildExclusiveConfig];

    /// <summary>The arrays DKMS counts module records from (read_conf: the highest index of these four, plus one).</summary>
    public static readonly string[] ModuleRecordArrays = [BuiltModuleName, BuiltModuleLocation, DestModuleName, DestModuleLocation];

    /// <summary>Directives DKMS accepts only as yes/no (read_conf <c>check_yes_no_value</c>: case-insensitive, empty allowed).</summary>
    public static readonly string[] YesNoDirectives = [AutoInstall, "NO_WEAK_MODULES", "BUILD_DEPENDS_REBUILD"];

    /// <summary>Script directives: DKMS runs the first word relative to the tree and only warns when it is not executable.</summary>
    public static readonly string[] ScriptDirectives = ["PRE_BUILD", "POST_BUILD", "POST_ADD", "POST_INSTALL", "POST_REMOVE", "PRE_INSTALL"];

    /// <summary>Ignored since DKMS 2.8.8 (961f9ce), with a "Deprecated feature" warning.</summary>
    public static readonly string[] ModulesConfDirectives = ["MODULES_CONF", "MODULES_CONF_ALIAS_TYPE", "MODULES_CONF_OBSOLETES", "MODULES_CONF_OBSOLETE_ONLY"];

    /// <summary>Every directive DKMS reads or has read from dkms.conf, current or deprecated, for the typo check.</summary>
    public static readonly string[] All =
    [
        PackageName, PackageVersion, BuiltModuleName, BuiltModuleLocation, DestModuleName, DestModuleLocation, Strip,
        Make, "MAKE_MATCH", Patch, "PATCH_MATCH", AutoInstall, "BUILD_DEPENDS", "BUILD_DEPENDS_REBUILD",
        "BUILD_EXCLUSIVE_KERNEL", "BUILD_EXCLUSIVE_KERNEL_MIN", "BUILD_EXCLUSIVE_KERNEL_MAX", "BUILD_EXCLUSIVE_ARCH", BuildExclusiveConfig,
        "POST_ADD", "POST_BUILD", "POST_INSTALL", "POST_REMOVE", "PRE_BUILD", "PRE_INSTALL", "NO_WEAK_MODULES", "OBSOLETE_BY",
        Clean, "REMAKE_INITRD", "MODULES_CONF", "MODULES_CONF_ALIAS_TYPE", "MODULES_CONF_OBSOLETES", "MODULES_CONF_OBSOLETE_ONLY",
        "SIGN_TOOL", "SIGN_FILE", "MOK_SIGNING_KEY", "MOK_CERTIFICATE",
    ];

    /// <summary>
    /// The variables DKMS takes from dkms.conf (dkms@HEAD <c>dkms_conf_variables</c>): <c>safe_source</c> sources the file
    /// in a subshell and copies only these out, each element with one trailing CR removed (<c>${VAR[i]%$CR}</c>).
    /// </summary>
    public static readonly HashSet<string> SafeSourceVariables = new(StringComparer.Ordinal)
    {
        PackageName, PackageVersion, "POST_ADD", "POST_BUILD", "POST_INSTALL", "POST_REMOVE", "PRE_BUILD", "PRE_INSTALL",
        "BUILD_DEPENDS", "BUILD_EXCLUSIVE_ARCH", BuildExclusiveConfig, "BUILD_EXCLUSIVE_KERNEL", "BUILD_EXCLUSIVE_KERNEL_MIN",
        "BUILD_EXCLUSIVE_KERNEL_MAX", "build_exclude", Make, "MAKE_MATCH", Patch, "PATCH_MATCH", "patch_array",
        BuiltModuleName, "built_module_name", BuiltModuleLocation, "built_module_location", DestModuleName, "dest_module_name",
        DestModuleLocation, "dest_module_location", Strip, "strip", AutoInstall, "NO_WEAK_MODULES", "BUILD_DEPENDS_REBUILD",
        "OBSOLETE_BY", Clean, "REMAKE_INITRD", "MODULES_CONF", "MODULES_CONF_OBSOLETES", "MODULES_CONF_ALIAS_TYPE",
        "MODULES_CONF_OBSOLETE_ONLY",
    };

    /// <summary>
    /// Variables DKMS has set when it sources dkms.conf (read_conf and its callers; docs/dkms-conf.md). Their values depend on
    /// the kernel being processed, so dkmspack keeps references to them as written.
    /// </summary>
    private static readonly HashSet<string> s_runTimeVariables = new(StringComparer.Ordinal)
    {
        "kernelver", "arch", "kernel_source_dir", "kernel_config", "dkms_tree", "source_tree", "install_tree",
        "module", "module_version", "parallel_jobs",
    };

    public static bool IsRunTimeVariable(string name) => s_runTimeVariables.Contains(name);

    public static bool IsDirective(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// The directive an unknown upper-case name most likely misspells, or null. Edit distance up to 2, or up to 1 for
    /// directives shorter than 6 characters, so custom variables such as NAME or PATCHES are not taken for MAKE or PATCH.
    /// </summary>
    public static string? SuggestionFor(string name)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string directive in All)
        {
            int allowed = directive.Length < 6 ? 1 : 2;
            if (Math.Abs(name.Length - directive.Length) > allowed)
            {
                continue;
            }

            int distance = EditDistance(name, directive);
            if (distance <= allowed && distance < bestDistance)
            {
                best = directive;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions), two rows at a time.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
