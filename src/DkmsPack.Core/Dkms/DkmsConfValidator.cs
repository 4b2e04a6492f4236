using DkmsPack.Diagnostics;

namespace DkmsPack.Dkms;

/// <summary>What validation found out, and every finding (sorted by line, errors and warnings together).</summary>
internal sealed record DkmsConfValidation(
    string? PackageName,
    string? PackageVersion,
    IReadOnlyList<DkmsModule> Modules,
    bool AutoInstall,
    bool UsesBuildExclusiveConfig,
    IReadOnlySet<DkmsFeature> Features,
    IReadOnlyList<string> BuildDepends,
    IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Checks a statically evaluated dkms.conf by the rules DKMS applies when it reads one (dkms@HEAD <c>read_conf</c> and
/// <c>read_conf_strict</c>; docs/dkms-conf.md), plus what dkmspack itself needs at packaging time. It collects every
/// finding instead of stopping at the first. Values DKMS only needs on the target (MAKE, BUILD_EXCLUSIVE_*, STRIP …) may
/// be dynamic; only values needed now (name, version, the module records) produce findings when they are.
/// </summary>
internal sealed class DkmsConfValidator
{
    private const string NameCharacters = "letters, digits and . _ + -";
    private const string VersionCharacters = "letters, digits and . _ + ~ : -";
    private const string NoNameOption = "write the name as a literal in dkms.conf (dkmspack has no option to set it)";
    private static readonly string s_version = OptionRef.To("version");
    private static readonly string s_passVersion = $"pass {s_version}";

    private readonly DkmsConfScript _original;
    private readonly DkmsConfScript _effective;
    private readonly string _displayPath;
    private readonly DkmsConfOptions _options;
    private readonly List<Diagnostic> _diagnostics = [];
    private int _recordCount;
    private bool _recordsUncertain;

    private DkmsConfValidator(DkmsConfScript original, DkmsConfScript effective, string displayPath, DkmsConfOptions options)
    {
        _original = original;
        _effective = effective;
        _displayPath = displayPath;
        _options = options;
    }

    /// <param name="original">The file as written: PACKAGE_VERSION is judged on it.</param>
    /// <param name="effective">The file as packaged (PACKAGE_VERSION pinned to --version when given): everything else is judged on it.</param>
    public static DkmsConfValidation Validate(DkmsConfScript original, DkmsConfScript effective, string displayPath, DkmsConfOptions options)
    {
        var validator = new DkmsConfValidator(original, effective, displayPath, options);
        return validator.Run();
    }

    private DkmsConfValidation Run()
    {
        if (_original.SyntaxError is { } syntaxError)
        {
            string? remedy = _original.Source.Text.Contains("\r\n", StringComparison.Ordinal)
                ? "convert dkms.conf to Unix (LF) line endings, e.g. with dos2unix: bash reads the CR of a CRLF line as part of it, so then, do, fi or done followed by it is no keyword"
                : null;
            Error(_original.Source.LineAt(syntaxError.Offset), $"{syntaxError.Message} (bash stops reading dkms.conf here)", remedy);
        }

        string? packageName = ResolvePackageName();
        string? packageVersion = ResolvePackageVersion();
        List<DkmsModule> modules = CheckModuleRecords(packageName);
        CheckStrip();
        CheckYesNoDirectives();
        bool autoInstall = CheckAutoInstall();
        CheckDeprecatedDirectives();
        CheckUnknownDirectives();
        CheckLeftoverPlaceholders();
        List<string> buildDepends = CheckBuildDepends();
        if (_options.ProbeTree is { } probe)
        {
            CheckScripts(probe);
            CheckMakeCommands(probe);
            CheckPatches(probe);
        }

        return new DkmsConfValidation(
            packageName,
            packageVersion,
            modules,
            autoInstall,
            UsesBuildExclusiveConfig(),
            Features(modules.Count, buildDepends.Count > 0),
            buildDepends,
            [.. _diagnostics.OrderBy(diagnostic => diagnostic.Line)]);
    }

    private string? ResolvePackageName()
    {
        const string Name = DkmsDirectives.PackageName;
        VariableElement? element = _effective.Element(Name);
        if (element is null)
        {
            ReportNotSet(Name, _effective.Variable(Name), NoNameOption);
            return null;
        }

        ShellValue value = element.Value;
        if (value.WhyNotLiteral is { } why)
        {
            Error(element.Line, $"{Name} {why}", NoNameOption);
            return null;
        }

        if (value.Text.Length == 0)
        {
            Error(element.Line, $"{Name} is empty", "give the module a name: DKMS requires one");
            return null;
        }

        if (Placeholder.FindIn(value.Text) is { } token)
        {
            Error(element.Line, $"{Name} is {Quote(value.Text)}, {PlaceholderPhrase(value.Text, token)}", NoNameOption);
            return null;
        }

        return CheckCharacters(Name, value.Text, "a package name", NameCharacters, IsNameCharacter, element.Line) ? value.Text : null;
    }

    private string? ResolvePackageVersion()
    {
        const string Name = DkmsDirectives.PackageVersion;
        VariableElement? element = _original.Element(Name);
        if (_options.Version is { } overrideVersion)
        {
            bool valid = CheckCharacters(s_version, overrideVersion, "a version", VersionCharacters, IsVersionCharacter, line: 0);

            // --version replaces the value of the existing assignments (PackagedTextWriter); it cannot invent one.
            if (!_original.Assignments.Any(PackagedTextWriter.AssignsPackageVersion))
            {
                Error(0, $"{Name} is not set", $"assign it in dkms.conf ({s_version} replaces the value of an existing assignment)");
            }
            else if (valid && element is { Value.IsLiteral: true, Value.Text.Length: > 0 } && !Placeholder.IsPlaceholder(element.Value.Text)
                && !string.Equals(element.Value.Text, overrideVersion, StringComparison.Ordinal))
            {
                Warning(element.Line, $"{Name} is {Quote(element.Value.Text)}; the packaged dkms.conf gets {Quote(overrideVersion)} from {s_version}");
            }

            return valid ? overrideVersion : null;
        }

        if (element is null)
        {
            ReportNotSet(Name, _original.Variable(Name), s_passVersion);
            return null;
        }

        ShellValue value = element.Value;
        if (value.WhyNotLiteral is { } why)
        {
            Error(element.Line, $"{Name} {why}", s_passVersion);
            return null;
        }

        if (value.Text.Length == 0)
        {
            Error(element.Line, $"{Name} is empty", $"set it in dkms.conf or pass {s_version}");
            return null;
        }

        if (Placeholder.FindIn(value.Text) is { } token)
        {
            Error(element.Line, $"{Name} is {Quote(value.Text)}, {PlaceholderPhrase(value.Text, token)}", $"pass {s_version} to set it");
            return null;
        }

        return CheckCharacters(Name, value.Text, "a version", VersionCharacters, IsVersionCharacter, element.Line) ? value.Text : null;
    }

    // Element 0 is missing: either nothing assigns it, or only an assignment with an unknown index (NAME[$i]=…) might.
    private void ReportNotSet(string name, ShellVariable? variable, string remedy)
    {
        if (variable?.IndicesDynamic is { } reason)
        {
            Error(variable.Line, $"{name} {reason.Text}", remedy);
            return;
        }

        string? hint = DkmsConfScript.LikelySourceOf(_original.SkippedCommands, name);
        Error(0, $"{name} is not set", $"assign it in dkms.conf{(hint is null ? string.Empty : $" ({hint})")}");
    }

    private static string PlaceholderPhrase(string value, string token) =>
        value.Length == token.Length ? "a placeholder" : $"which contains the placeholder {token}";

    // The name and version become a directory name (/usr/src/NAME-VERSION), package fields and words in maintainer scripts.
    private bool CheckCharacters(string what, string value, string usedAs, string allowed, Func<char, bool> isAllowed, int line)
    {
        List<string> bad = [.. value.Where(c => !isAllowed(c)).Distinct().Select(DescribeCharacter)];
        if (bad.Count > 0)
        {
            Error(line, $"{what} {Quote(value)} contains {string.Join(", ", bad)}, which cannot be used in {usedAs}", $"use {allowed}");
            return false;
        }

        if (value.Length == 0 || !char.IsAsciiLetterOrDigit(value[0]))
        {
            Error(line, $"{what} {Quote(value)} must start with a letter or a digit");
            return false;
        }

        return true;
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-';

    private static bool IsVersionCharacter(char c) => IsNameCharacter(c) || c is '~' or ':';

    private static string DescribeCharacter(char c) => c switch
    {
        '\r' => "a carriage return (U+000D, as left by Windows line endings)",
        _ when char.IsControl(c) => $"U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    /// <summary>A value for a message: in double quotes, control characters escaped, at most 60 characters.</summary>
    private static string Quote(string value)
    {
        const int MaxShown = 60;
        var quoted = new System.Text.StringBuilder("\"");
        foreach (char c in value.Length <= MaxShown ? value : value[..(MaxShown - 1)])
        {
            quoted.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append(value.Length <= MaxShown ? "\"" : "…\"").ToString();
    }

    // A record per index from 0 to the highest index of BUILT_MODULE_NAME, BUILT_MODULE_LOCATION, DEST_MODULE_NAME and
    // DEST_MODULE_LOCATION, as DKMS 3.x counts them (STRIP does not count: DKMS ignores STRIP entries beyond the records).
    private List<DkmsModule> CheckModuleRecords(string? packageName)
    {
        List<ShellVariable> arrays = [.. DkmsDirectives.ModuleRecordArrays.Select(_effective.Variable).OfType<ShellVariable>()];
        ShellVariable? uncertain = arrays.FirstOrDefault(array => array.IndicesDynamic is not null);
        if (uncertain is not null)
        {
            _recordsUncertain = true;
            Warning(uncertain.Line, $"{uncertain.Name} {uncertain.IndicesDynamic!.Text}; dkmspack cannot check the module records statically");
        }

        int recordCount = 0;
        foreach (ShellVariable array in arrays)
        {
            recordCount = Math.Max(recordCount, array.NextIndex);
        }

        if (recordCount == 0)
        {
            // read_conf_strict since DKMS 3.0.11: "Warning! Zero modules specified." Older releases stop at the missing
            // DEST_MODULE_LOCATION, so the package requires 3.0.11 (DkmsFeature.ZeroModules).
            if (uncertain is null)
            {
                Warning(0, "dkms.conf declares no module: DKMS 3.0.11 and later accept that (\"Zero modules specified\") and build nothing, older DKMS rejects the file", "set BUILT_MODULE_NAME[0] and DEST_MODULE_LOCATION[0], unless the package is meant to carry no module");
            }

            return [];
        }

        _recordCount = recordCount;
        int highest = recordCount - 1;
        if (_recordCount > DkmsConfLimits.MaxModuleRecords)
        {
            // DKMS would walk every index up to the highest; so would the checks below, one finding per missing record.
            (ShellVariable array, VariableElement highestElement) = arrays
                .Select(array => (Array: array, Element: array.Element(highest)))
                .Where(pair => pair.Element is not null)
                .Select(pair => (pair.Array, pair.Element!))
                .MinBy(pair => pair.Item2.Line);
            Error(
                highestElement.Line,
                $"{array.Name}[{highest}] makes {_recordCount} module records (DKMS counts records 0 to the highest index); dkmspack reads at most {DkmsConfLimits.MaxModuleRecords}",
                "number the module records 0, 1, 2 … without gaps");
            return [];
        }

        if (uncertain is null)
        {
            CheckRecordGaps(highest, arrays);
        }

        var modules = new List<DkmsModule>();
        var builtNames = new Dictionary<string, int>(StringComparer.Ordinal);
        var destNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int index = 0; index <= highest; index++)
        {
            if (IsRecordIndex(index, arrays))
            {
                modules.Add(CheckModuleRecord(index, packageName, builtNames, destNames));
            }
        }

        return modules;
    }

    private static bool IsRecordIndex(int index, List<ShellVariable> arrays)
    {
        foreach (ShellVariable array in arrays)
        {
            if (array.Elements.ContainsKey(index))
            {
                return true;
            }
        }

        return false;
    }

    // DKMS walks every index up to the highest; an index nothing sets has no BUILT_MODULE_NAME and no DEST_MODULE_LOCATION.
    private void CheckRecordGaps(int highest, List<ShellVariable> arrays)
    {
        var missing = new List<int>();
        for (int index = 0; index < highest; index++)
        {
            if (!IsRecordIndex(index, arrays))
            {
                missing.Add(index);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        int line = arrays.Select(array => array.Element(highest)).OfType<VariableElement>().Min(element => element.Line);
        string records = missing.Count == 1 ? $"module record {missing[0]} is" : $"module records {string.Join(", ", missing)} are";
        Error(line, $"{records} missing: DKMS counts records 0 to {highest} (the highest index used) and rejects empty ones", "fill the gap or renumber the arrays");
    }

    private DkmsModule CheckModuleRecord(int index, string? packageName, Dictionary<string, int> builtNames, Dictionary<string, int> destNames)
    {
        VariableElement? built = _effective.Element(DkmsDirectives.BuiltModuleName, index);
        VariableElement? location = _effective.Element(DkmsDirectives.BuiltModuleLocation, index);
        VariableElement? dest = _effective.Element(DkmsDirectives.DestModuleName, index);
        VariableElement? destLocation = _effective.Element(DkmsDirectives.DestModuleLocation, index);
        int recordLine = new[] { built, location, dest, destLocation }.OfType<VariableElement>().Min(element => element.Line);

        // BUILT_MODULE_NAME defaults to PACKAGE_NAME only when there is a single record (read_conf).
        string builtName;
        bool builtKnown = true;
        if (IsUnset(built))
        {
            builtName = _recordCount == 1 ? packageName ?? string.Empty : string.Empty;
            builtKnown = _recordCount == 1 && packageName is not null;
            if (_recordCount > 1)
            {
                Error(recordLine, $"{DkmsDirectives.BuiltModuleName}[{index}] is not set; with {_recordCount} module records each must name its module");
            }
        }
        else
        {
            builtName = built!.Value.Text;
            builtKnown = CheckModuleName(DkmsDirectives.BuiltModuleName, index, built);
        }

        string destName = builtName;
        bool destKnown = builtKnown;
        if (!IsUnset(dest))
        {
            destName = dest!.Value.Text;
            destKnown = CheckModuleName(DkmsDirectives.DestModuleName, index, dest);
        }

        CheckDestModuleLocation(index, destLocation, recordLine);

        string builtLocation = NormaliseLocation(location?.Value.Text ?? string.Empty);
        bool duplicateBuilt = false;
        if (builtKnown && builtName.Length > 0 && (location is null || location.Value.IsLiteral))
        {
            string key = $"{builtLocation}/{builtName}";
            if (builtNames.TryGetValue(key, out int first))
            {
                duplicateBuilt = true;
                Error(built?.Line ?? recordLine, $"{DkmsDirectives.BuiltModuleName}[{index}] {Quote(builtName)} duplicates module record {first} (same BUILT_MODULE_LOCATION); DKMS rejects duplicate modules");
            }
            else
            {
                builtNames.Add(key, index);
            }
        }

        // DKMS compares DEST_MODULE_NAME alone: Debian, Ubuntu, Fedora… put every module in one directory anyway.
        if (destKnown && destName.Length > 0 && !duplicateBuilt)
        {
            if (destNames.TryGetValue(destName, out int first))
            {
                string defaulted = IsUnset(dest) ? $" (defaulted from {DkmsDirectives.BuiltModuleName}[{index}])" : string.Empty;
                Error(dest?.Line ?? recordLine, $"{DkmsDirectives.DestModuleName}[{index}] {Quote(destName)}{defaulted} duplicates module record {first}; DKMS rejects two modules installed under one name");
            }
            else
            {
                destNames.Add(destName, index);
            }
        }

        return new DkmsModule(index, builtName, builtLocation, destName, destLocation?.Value.Text ?? string.Empty);
    }

    // True when the name is known and valid; dynamic names only get a warning, since DKMS evaluates them on the target.
    private bool CheckModuleName(string directive, int index, VariableElement element)
    {
        if (element.Value.WhyNotLiteral is { } why)
        {
            WarnCannotCheck(element.Line, $"{directive}[{index}] {why}");
            return false;
        }

        string name = element.Value.Text;
        string? suffix = name.EndsWith(".ko", StringComparison.Ordinal) ? ".ko" : name.EndsWith(".o", StringComparison.Ordinal) ? ".o" : null;
        if (suffix is not null)
        {
            Error(element.Line, $"{directive}[{index}] is {Quote(name)}", $"remove the {suffix} suffix (DKMS adds .ko itself)");
        }

        return true;
    }

    private void CheckDestModuleLocation(int index, VariableElement? element, int recordLine)
    {
        string directive = $"{DkmsDirectives.DestModuleLocation}[{index}]";
        if (IsUnset(element))
        {
            Error(recordLine, $"{directive} is not set", "set it, e.g. to \"/updates\": DKMS requires it for every module");
            return;
        }

        ShellValue value = element!.Value;
        if (value.Dynamic is not null)
        {
            WarnCannotCheck(element.Line, $"{directive} {value.Dynamic.Text}");
            return;
        }

        // DKMS matches /kernel*, /updates* and /extra*. A run-time variable after a valid start does not matter.
        string[] allowed = ["/kernel", "/updates", "/extra"];
        string known = value.StaticPrefix;
        if (allowed.Any(start => known.StartsWith(start, StringComparison.Ordinal)))
        {
            return;
        }

        if (value.RunTimeReferences.Count > 0 && allowed.Any(start => start.StartsWith(known, StringComparison.Ordinal)))
        {
            WarnCannotCheck(element.Line, $"{directive} {value.WhyNotLiteral}");
            return;
        }

        Error(element.Line, $"{directive} is {Quote(value.Text)}", "make it start with /kernel, /updates or /extra (Debian and Ubuntu install to /updates/dkms whatever it says, but DKMS rejects other values first)");
    }

    // When the record indices themselves are unknown, one warning already says the records cannot be checked.
    private void WarnCannotCheck(int line, string what)
    {
        if (!_recordsUncertain)
        {
            Warning(line, $"{what}; dkmspack cannot check it statically");
        }
    }

    private static bool IsUnset(VariableElement? element) => element is null || (element.Value.IsLiteral && element.Value.Text.Length == 0);

    // "module/" and "module" name the same directory; "" and "." are the tree root.
    private static string NormaliseLocation(string location)
    {
        string normalised = location.TrimEnd('/');
        while (normalised.StartsWith("./", StringComparison.Ordinal))
        {
            normalised = normalised[2..];
        }

        return normalised == "." ? string.Empty : normalised;
    }

    // read_conf: STRIP[i] starting with n/N means no, y/Y or empty means yes (empty takes STRIP[0]); anything else is
    // silently treated as yes. dkmspack makes that an error, since the author evidently meant something else.
    private void CheckStrip()
    {
        if (_effective.Variable(DkmsDirectives.Strip) is not { } strip)
        {
            return;
        }

        foreach ((int index, VariableElement element) in strip.Elements)
        {
            if (_recordCount > 0 && index >= _recordCount && !_recordsUncertain)
            {
                Warning(element.Line, $"{DkmsDirectives.Strip}[{index}] has no module record; DKMS ignores it");
            }

            string value = element.Value.Text;
            if (element.Value.IsLiteral && value.Length > 0 && value[0] is not ('y' or 'Y' or 'n' or 'N'))
            {
                Error(element.Line, $"{DkmsDirectives.Strip}[{index}] is {Quote(value)}", "use \"yes\" or \"no\" (DKMS reads only the first letter and strips the module for anything else)");
            }
        }
    }

    // DKMS 3.2 check_yes_no_value: "", yes or no in any letter case; any other value fails read_conf.
    private void CheckYesNoDirectives()
    {
        foreach (string name in DkmsDirectives.YesNoDirectives)
        {
            VariableElement? element = _effective.Element(name);
            if (element is { Value.IsLiteral: true } && element.Value.Text.Length > 0 && !IsYes(element.Value.Text) && !IsNo(element.Value.Text))
            {
                Error(element.Line, $"{name} is {Quote(element.Value.Text)}; DKMS accepts only \"yes\" or \"no\"");
            }
        }
    }

    // Since DKMS 3.0.13 common.postinst builds only AUTOINSTALL="yes" modules, and so do the kernel hooks for new kernels.
    private bool CheckAutoInstall()
    {
        const string Name = DkmsDirectives.AutoInstall;
        const string Consequence = "so installing the package registers the module with DKMS but does not build it";
        VariableElement? element = _effective.Element(Name);
        if (element is null)
        {
            Warning(0, $"{Name} is not set, {Consequence}", $"set {Name}=\"yes\"");
            return false;
        }

        ShellValue value = element.Value;
        if (value.WhyNotLiteral is { } why)
        {
            Warning(element.Line, $"{Name} {why}; dkmspack cannot tell whether installing the package builds the module");
            return false;
        }

        if (IsYes(value.Text))
        {
            return true;
        }

        if (value.Text.Length == 0 || IsNo(value.Text))
        {
            Warning(element.Line, $"{Name} is {Quote(value.Text)}, {Consequence}");
        }

        return false;
    }

    private static bool IsYes(string value) => string.Equals(value, "yes", StringComparison.OrdinalIgnoreCase);

    private static bool IsNo(string value) => string.Equals(value, "no", StringComparison.OrdinalIgnoreCase);

    // safe_source prints "Deprecated feature" for these whenever they are set at all, even to "".
    private void CheckDeprecatedDirectives()
    {
        if (_effective.Variable(DkmsDirectives.Clean) is { } clean
            && clean.Element(0)?.Value is not { IsLiteral: true, Text: "true" or "/bin/true" or "/usr/bin/true" })
        {
            Warning(clean.Line, "CLEAN is deprecated and ignored by DKMS 3.1.8 and later", "remove it");
        }

        if (_effective.Variable("REMAKE_INITRD") is { } remakeInitrd)
        {
            Warning(remakeInitrd.Line, "REMAKE_INITRD is deprecated and ignored since DKMS 2.8.8", "remove it");
        }

        foreach (string name in DkmsDirectives.ModulesConfDirectives)
        {
            if (_effective.Variable(name) is { } modulesConf)
            {
                Warning(modulesConf.Line, $"{name} is deprecated and ignored since DKMS 2.8.8", "remove it and ship a file in /etc/modprobe.d instead");
            }
        }

        if (_effective.Variable("OBSOLETE_BY") is { } obsoleteBy)
        {
            Warning(obsoleteBy.Line, "OBSOLETE_BY is discouraged", "use BUILD_EXCLUSIVE_KERNEL_MAX instead");
        }

        if (_effective.Variable("SIGN_TOOL") is { } signTool)
        {
            Warning(signTool.Line, "SIGN_TOOL was removed from DKMS and is ignored; module signing is configured in /etc/dkms/framework.conf");
        }
    }

    // An upper-case name one or two edits away from a directive is most likely a typo DKMS would silently ignore, unless
    // the file expands it itself: then it is a helper (BUILT_MODULE_NAMES=( … ) looped into BUILT_MODULE_NAME[i]).
    private void CheckUnknownDirectives()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AssignmentSite site in _effective.Assignments)
        {
            if (!seen.Add(site.Name) || DkmsDirectives.IsDirective(site.Name) || !site.Name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
                || IsExpandedInFile(site.Name))
            {
                continue;
            }

            if (DkmsDirectives.SuggestionFor(site.Name) is { } suggestion)
            {
                Warning(site.Line, $"unknown directive {site.Name}, which DKMS ignores; did you mean {suggestion}?");
            }
        }
    }

    // run_build_script: DKMS runs "$tree/$SCRIPT" only if the first word (up to a space) is executable (-x), else it warns
    // "The … script is not executable" and goes on. The path is always relative to the tree, even when written with a '/'.
    private void CheckScripts(Func<string, TreeFileKind> probe)
    {
        foreach (string name in DkmsDirectives.ScriptDirectives)
        {
            VariableElement? element = _effective.Element(name);
            string script = element is null ? string.Empty : FirstChunk(element.Value.Text);
            if (script.Length == 0 || script.Contains('$', StringComparison.Ordinal) || script.Contains('`', StringComparison.Ordinal))
            {
                continue;
            }

            string path = TreePath(script);
            string? problem = probe(path) switch
            {
                TreeFileKind.Missing => "is not in the module tree; DKMS would skip it with a warning",
                TreeFileKind.Directory => "is a directory; DKMS would skip it with a warning",
                TreeFileKind.File => $"is not executable, so DKMS would skip it; dkmspack packages it as found, run chmod +x {path}",
                _ => null,
            };
            if (problem is not null)
            {
                Warning(element!.Line, $"{name} script \"{script}\" {problem}");
            }
        }
    }

    // MAKE is eval'ed in the build directory. Only a relative path as first word names a file of the tree; "make",
    // 'make', "(", VAR=value prefixes, absolute paths and bare command names are found elsewhere.
    private void CheckMakeCommands(Func<string, TreeFileKind> probe)
    {
        if (_effective.Variable(DkmsDirectives.Make) is not { } make)
        {
            return;
        }

        foreach ((int index, VariableElement element) in make.Elements)
        {
            string? command = FirstCommandWord(element.Value.Text);
            if (command is null || command == "make" || command.StartsWith('/') || !command.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            string path = TreePath(command);
            string? problem = probe(path) switch
            {
                TreeFileKind.Missing => "which is not in the module tree; the build would fail",
                TreeFileKind.Directory => "which is a directory; the build would fail",
                TreeFileKind.File => $"which is not executable, so the build would fail; dkmspack packages it as found, run chmod +x {path}",
                _ => null,
            };
            if (problem is not null)
            {
                Warning(element.Line, $"{DkmsDirectives.Make}[{index}] runs \"{command}\", {problem}");
            }
        }
    }

    // prepare_build applies <tree>/patches/PATCH[i] and refuses paths with a ".." component.
    private void CheckPatches(Func<string, TreeFileKind> probe)
    {
        if (_effective.Variable(DkmsDirectives.Patch) is not { } patches)
        {
            return;
        }

        foreach ((int index, VariableElement element) in patches.Elements)
        {
            string patch = element.Value.Text;
            if (!element.Value.IsLiteral || patch.Length == 0)
            {
                continue;
            }

            if (patch.Split('/').Contains(".."))
            {
                Warning(element.Line, $"{DkmsDirectives.Patch}[{index}] \"{patch}\" contains a '..' path component, which DKMS refuses");
            }
            else if (probe($"patches/{patch}") is not (TreeFileKind.File or TreeFileKind.ExecutableFile))
            {
                Warning(element.Line, $"{DkmsDirectives.Patch}[{index}] \"{patch}\" is not in the module tree as patches/{patch}; DKMS would stop the build");
            }
        }
    }

    // $NAME, ${NAME}, ${NAME[i]}, ${#NAME[@]}, ${!NAME[@]} …: any expansion of the variable anywhere in the file.
    private bool IsExpandedInFile(string name)
    {
        string text = _effective.Source.Text;
        for (int at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.Ordinal))
        {
            int before = at - 1;
            while (before >= 0 && text[before] is '#' or '!')
            {
                before--;
            }

            bool opens = before >= 0 && (text[before] == '$' || (text[before] == '{' && before > 0 && text[before - 1] == '$'));
            int after = at + name.Length;
            if (opens && (after == text.Length || !ShellLexer.IsNameChar(text[after])))
            {
                return true;
            }
        }

        return false;
    }

    // --version fills only PACKAGE_VERSION (and its own placeholder wherever it occurs); any other @WORD@, #WORD# or
    // __WORD__ in a directive is most likely a release script's token that was never replaced, and DKMS would use it as
    // written (a MAKE with @CFLGS@ in it cannot build). -D__KERNEL__ and the like are C macros, not placeholders.
    private void CheckLeftoverPlaceholders()
    {
        string? versionToken = _options.Version is not null && _original.Element(DkmsDirectives.PackageVersion)?.Value is { IsLiteral: true } original
            && Placeholder.IsPlaceholder(original.Text) ? original.Text : null;
        foreach (ShellVariable variable in _effective.Variables.Values)
        {
            if (!DkmsDirectives.IsDirective(variable.Name) || variable.Name is DkmsDirectives.PackageName or DkmsDirectives.PackageVersion)
            {
                continue;
            }

            foreach ((int index, VariableElement element) in variable.Elements)
            {
                string? token = Placeholder.FindLeftoverIn(element.Value.Text, versionToken);
                if (token is not null)
                {
                    string what = variable.Elements.Count == 1 && index == 0 ? variable.Name : $"{variable.Name}[{index}]";
                    Warning(
                        element.Line,
                        $"{what} contains {token}, a placeholder nothing fills in: DKMS would use it as written",
                        $"replace it in dkms.conf before packaging ({s_version} fills only PACKAGE_VERSION)");
                }
            }
        }
    }

    // BUILD_DEPENDS names DKMS modules (one per element; "${BUILD_DEPENDS[@]}") that DKMS builds first. The package
    // depends on their packages, so each must be a literal module name.
    private List<string> CheckBuildDepends()
    {
        var names = new List<string>();
        if (_effective.Variable(DkmsDirectives.BuildDepends) is not { } buildDepends)
        {
            return names;
        }

        if (buildDepends.IndicesDynamic is { } dynamicIndices)
        {
            Warning(buildDepends.Line, $"{DkmsDirectives.BuildDepends} {dynamicIndices.Text}; the package cannot depend on the modules it names", "name them literally in dkms.conf");
        }

        foreach ((int index, VariableElement element) in buildDepends.Elements.OrderBy(pair => pair.Key))
        {
            string what = $"{DkmsDirectives.BuildDepends}{(index == 0 && buildDepends.Elements.Count == 1 ? string.Empty : $"[{index}]")}";
            if (element.Value.WhyNotLiteral is { } why)
            {
                Warning(element.Line, $"{what} {why}; the package cannot depend on the module it names", "name it literally in dkms.conf");
                continue;
            }

            string name = element.Value.Text;
            if (name.Length == 0 || names.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            if (CheckCharacters(what, name, "a module name", NameCharacters, IsNameCharacter, element.Line))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private HashSet<DkmsFeature> Features(int moduleCount, bool buildDepends)
    {
        var features = new HashSet<DkmsFeature>();
        if (buildDepends)
        {
            features.Add(DkmsFeature.BuildDepends);
        }

        if (UsesBuildExclusiveConfig())
        {
            features.Add(DkmsFeature.BuildExclusiveConfig);
        }

        if (IsSet(DkmsDirectives.BuildExclusiveKernelMin) || IsSet(DkmsDirectives.BuildExclusiveKernelMax))
        {
            features.Add(DkmsFeature.BuildExclusiveKernelRange);
        }

        if (moduleCount == 0 && !_recordsUncertain)
        {
            features.Add(DkmsFeature.ZeroModules);
        }

        if (_effective.Element(DkmsDirectives.BuildDependsRebuild)?.Value is { } rebuild && !(rebuild.IsLiteral && (rebuild.Text.Length == 0 || IsNo(rebuild.Text))))
        {
            features.Add(DkmsFeature.BuildDependsRebuild);
        }

        if (DkmsDirectives.BuildExclusiveDirectives.Any(name => _effective.Variable(name)?.Elements.Any(pair => pair.Key > 0 && IsSet(pair.Value)) == true))
        {
            features.Add(DkmsFeature.PerModuleBuildExclusive);
        }

        return features;
    }

    private bool IsSet(string name) => _effective.Variable(name) is { } variable && (variable.IndicesDynamic is not null || variable.Elements.Values.Any(IsSet));

    private static bool IsSet(VariableElement element) => !element.Value.IsLiteral || element.Value.Text.Length > 0;

    private bool UsesBuildExclusiveConfig() => IsSet(DkmsDirectives.BuildExclusiveConfig);

    private static string FirstChunk(string text)
    {
        string trimmed = text.TrimStart();
        int end = trimmed.AsSpan().IndexOfAny(" \t\n");
        return end < 0 ? trimmed : trimmed[..end];
    }

    // The first word of a shell command, quotes removed, when it is a plain literal (not an assignment, not an expansion).
    private static string? FirstCommandWord(string command)
    {
        (IReadOnlyList<ShellToken> tokens, _) = ShellLexer.Tokenize(command);
        ShellToken? first = tokens.FirstOrDefault(token => token.Kind != ShellTokenKind.Newline);
        return first is { Kind: ShellTokenKind.Word } ? first.Word!.LiteralText : null;
    }

    private static string TreePath(string path)
    {
        string relative = path;
        while (true)
        {
            if (relative.StartsWith("./", StringComparison.Ordinal))
            {
                relative = relative[2..];
            }
            else if (relative.StartsWith('/'))
            {
                relative = relative[1..];
            }
            else
            {
                return relative;
            }
        }
    }

    private void Error(int line, string message, string? remedy = null) =>
        _diagnostics.Add(Diagnostic.Error(_displayPath, line, message, remedy, DiagnosticCode.DkmsConf));

    private void Warning(int line, string message, string? remedy = null) =>
        _diagnostics.Add(Diagnostic.Warning(_displayPath, line, message, remedy, DiagnosticCode.DkmsConf));
}
