using System.Globalization;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Model;

namespace DkmsPack.Prebuilt;

/// <summary>
/// Builds a tree's modules for one kernel the way DKMS 3.x does (<c>prepare_build</c> and <c>actual_build</c>,
/// docs/prebuilt-modules.md): a fresh copy of the packaged sources, the patches that match the kernel, PRE_BUILD, the
/// clean and make commands, a check that every module was built, <c>strip -g</c> where STRIP allows, then POST_BUILD.
/// The tree's own build commands run as DKMS would run them; values of ours reach them only through the environment.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ModuleBuilder
{
    /// <summary>Where DKMS builds (<c>$dkms_tree/NAME/VERSION/build</c>); debug paths are mapped to it, so the build directory leaves no trace.</summary>
    private const string DkmsTree = "/var/lib/dkms";

    private readonly PackageSpec _spec;
    private readonly DkmsConf _conf;
    private readonly string _scratch;
    private readonly int _jobs;

    // $dkms_tree/$module/$module_version/build, as DKMS lays it out under the scratch tree.
    private readonly string _tree;
    private readonly string _build;

    public ModuleBuilder(PackageSpec spec, DkmsConf conf, string scratch, int jobs)
    {
        _spec = spec;
        _conf = conf;
        _scratch = scratch;
        _jobs = jobs;
        _tree = Path.Combine(scratch, "tree");
        _build = Path.Combine(_tree, spec.ModuleName, spec.ModuleVersion, "build");
    }

    /// <summary>
    /// Builds for <paramref name="kernel"/>; returns each module record's built .ko (stripped, unsigned), in record order.
    /// A failing step throws with its first error line and the log's path, which is kept.
    /// </summary>
    public IReadOnlyList<string> Build(string kernel, string architecture, string headers, KernelConfig config, KernelBuildPlan plan, BuildLog log)
    {
        string build = _build;
        if (Directory.Exists(build))
        {
            Directory.Delete(build, recursive: true);
        }

        SourceCopy.Write(_spec, build);
        Dictionary<string, string> environment = Environment(kernel, architecture, headers, config, _tree, build);

        foreach ((string patch, int line) in plan.Patches())
        {
            string file = Path.Combine(build, "patches", patch);
            if (!File.Exists(file))
            {
                throw DkmsPackException.Input(_conf.DisplayPath, line, $"PATCH \"{patch}\" is not in the tree's patches/ directory", "add the patch or correct PATCH[]");
            }

            Step(log.Run("patch", ["-p1", "-i", file], build, environment), log, kernel, line, $"patch {patch} does not apply");
        }

        RunScript("PRE_BUILD", _conf.Recipe.PreBuild, plan, build, environment, log, kernel);

        string defaultMake = "make -C \"$kernel_source_dir\" M=\"$dkms_tree/$module/$module_version/build\"";
        string clean = _conf.Recipe.Clean is { } cleanValue ? plan.Known(cleanValue, DkmsDirectives.Clean) : defaultMake + " clean";
        // DKMS ignores the clean command's status (actual_build: invoke_command "$clean" without a check).
        log.Run("bash", ["-c", "eval \"$1\"", "clean", clean], build, environment);

        MatchedValue? chosen = plan.MakeCommand();
        string make = MakeCommandLine(chosen is null ? defaultMake : plan.Known(chosen.Value, $"MAKE[{chosen.Index}]"), config);
        int makeLine = chosen?.Value.Line ?? 0;
        Step(log.Run("bash", ["-c", "eval \"$1\"", "make", make], build, environment), log, kernel, makeLine, chosen is null ? "the build (DKMS's default make command)" : $"MAKE[{chosen.Index}]");

        var built = new List<string>();
        foreach (DkmsModule module in _conf.Modules)
        {
            string location = plan.Expand(module.BuiltModuleLocation);
            string name = plan.Expand(module.BuiltModuleName);
            string file = Path.Combine(build, location, name + ".ko");
            if (!File.Exists(file))
            {
                throw DkmsPackException.Input(_conf.DisplayPath, $"the build for {kernel} did not produce {Path.Combine(location, name)}.ko (module record {module.Index})", $"check BUILT_MODULE_NAME and BUILT_MODULE_LOCATION, or the make log at {log.Path}");
            }

            if (_conf.Recipe.StripsModule(module.Index))
            {
                Step(log.Run("strip", ["-g", file], build, environment), log, kernel, 0, $"strip -g {name}.ko");
            }

            built.Add(file);
        }

        // DKMS runs POST_BUILD after it has saved the modules: the script cannot change what is installed.
        string saved = Path.Combine(_scratch, "built", kernel);
        Directory.CreateDirectory(saved);
        List<string> copies = [];
        for (int i = 0; i < built.Count; i++)
        {
            string copy = Path.Combine(saved, i.ToString(CultureInfo.InvariantCulture) + ".ko");
            File.Copy(built[i], copy, overwrite: true);
            copies.Add(copy);
        }

        RunScript("POST_BUILD", _conf.Recipe.PostBuild, plan, build, environment, log, kernel);
        return copies;
    }

    /// <summary>
    /// DKMS's variables, as the tree's commands see them (exported: a MAKE string refers to them by name), and
    /// KCFLAGS mapping the build directory to DKMS's, so the modules do not depend on where dkmspack built them.
    /// </summary>
    private Dictionary<string, string> Environment(string kernel, string architecture, string headers, KernelConfig config, string tree, string build)
    {
        string configPath = Path.Combine(headers, ".config");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kernelver"] = kernel,
            ["arch"] = architecture,
            ["kernel_source_dir"] = headers,
            ["kernel_config"] = File.Exists(configPath) ? configPath : string.Empty,
            ["dkms_tree"] = tree,
            ["source_tree"] = Path.Combine(_scratch, "src"),
            ["install_tree"] = "/lib/modules",
            ["module"] = _spec.ModuleName,
            ["module_version"] = _spec.ModuleVersion,
            ["parallel_jobs"] = _jobs.ToString(CultureInfo.InvariantCulture),
            ["KCFLAGS"] = $"-ffile-prefix-map={build}={DkmsTree}/{_spec.ModuleName}/{_spec.ModuleVersion}/build",
            ["LC_ALL"] = "C",
        };

        // prepare_build: the compiler the kernel was built with, when this machine has it (CONFIG_CC_VERSION_TEXT "gcc-12 (…)").
        if (config.Value("CONFIG_CC_VERSION_TEXT") is { } text && text.Trim('"').Split(' ')[0] is { Length: > 0 } compiler && OnPath(compiler))
        {
            environment["CC"] = compiler;
        }

        return environment;
    }

    /// <summary>
    /// actual_build's rewrite: a command starting with the word make gets <c>-j</c> and <c>KERNELRELEASE</c> (here as
    /// references to the environment, not spliced values), and a clang-built kernel gets <c>CC=clang</c>, <c>LD=ld.lld</c>.
    /// </summary>
    private static string MakeCommandLine(string command, KernelConfig config)
    {
        if (command == "make" || command.StartsWith("make ", StringComparison.Ordinal) || command.StartsWith("make\t", StringComparison.Ordinal))
        {
            command = "make -j\"$parallel_jobs\" KERNELRELEASE=\"$kernelver\"" + command[4..];
        }

        if (config.IsEnabled("CONFIG_CC_IS_CLANG"))
        {
            command += " CC=clang";
        }

        if (config.IsEnabled("CONFIG_LD_IS_LLD"))
        {
            command += " LD=ld.lld";
        }

        return command;
    }

    /// <summary>run_build_script: the first word is a file of the build directory, run with the other words as arguments.</summary>
    private void RunScript(string directive, RecipeValue? value, KernelBuildPlan plan, string build, Dictionary<string, string> environment, BuildLog log, string kernel)
    {
        if (value is null || plan.Known(value, directive) is not { Length: > 0 } text)
        {
            return;
        }

        string[] words = text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        string script = Path.GetFullPath(Path.Combine(build, words[0]));
        if (!File.Exists(script) || (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
        {
            // DKMS only warns ("The pre_build script is not executable.") and goes on; so does the build here.
            return;
        }

        Step(log.Run(script, words[1..], build, environment), log, kernel, value.Line, directive);
    }

    private void Step(int exitCode, BuildLog log, string kernel, int line, string what)
    {
        if (exitCode != 0)
        {
            // The compiler names the scratch copy; the user knows the file by its place in the tree.
            string tree = Path.GetDirectoryName(_conf.DisplayPath) is { Length: > 0 } directory ? directory + "/" : string.Empty;
            string error = log.FirstError().Replace(_build + "/", tree, StringComparison.Ordinal);
            throw DkmsPackException.Input(_conf.DisplayPath, line, $"{what} failed for kernel {kernel} (exit {exitCode}): {error}", $"see the make log {log.Path}");
        }
    }

    private static bool OnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
