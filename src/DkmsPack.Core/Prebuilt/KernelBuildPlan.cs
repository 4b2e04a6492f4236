using System.Text;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;

namespace DkmsPack.Prebuilt;

/// <summary>
/// What DKMS would do for one kernel with this dkms.conf (dkms 3.x <c>read_conf</c>): whether BUILD_EXCLUSIVE_* rules
/// the kernel out, which MAKE command and which patches apply. Values that need bash to compute are an error here:
/// a static reading cannot know them, and building needs them.
/// </summary>
internal sealed class KernelBuildPlan
{
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromSeconds(2);

    private readonly DkmsBuildRecipe _recipe;
    private readonly string _confPath;
    private readonly IReadOnlyDictionary<string, string> _variables;

    public KernelBuildPlan(DkmsBuildRecipe recipe, string confPath, IReadOnlyDictionary<string, string> runTimeVariables)
    {
        _recipe = recipe;
        _confPath = confPath;
        _variables = runTimeVariables;
        if (recipe.UnknownIndices is { } why)
        {
            throw DkmsPackException.Input(confPath, $"{why}; building needs to know which commands apply", "write the array elements literally, or package modules built elsewhere with --from-dkms or --modules");
        }
    }

    private string Kernel => _variables["kernelver"];

    /// <summary>
    /// Why DKMS would not build for this kernel (its <c>build_exclude</c>), as a sentence naming the directive and line,
    /// or null when it would. BUILD_EXCLUSIVE_CONFIG is tested only when the kernel's .config is at hand, as DKMS does.
    /// </summary>
    public string? Exclusion(string architecture, KernelConfig? config)
    {
        if (_recipe.ExclusiveKernel is { } kernel && Known(kernel, "BUILD_EXCLUSIVE_KERNEL") is { Length: > 0 } pattern && !Matches(Kernel, pattern, kernel, "BUILD_EXCLUSIVE_KERNEL"))
        {
            return $"BUILD_EXCLUSIVE_KERNEL \"{pattern}\" (line {kernel.Line}) does not match {Kernel}";
        }

        if (_recipe.ExclusiveArch is { } arch && Known(arch, "BUILD_EXCLUSIVE_ARCH") is { Length: > 0 } archPattern && !Matches(architecture, archPattern, arch, "BUILD_EXCLUSIVE_ARCH"))
        {
            return $"BUILD_EXCLUSIVE_ARCH \"{archPattern}\" (line {arch.Line}) does not match {architecture}";
        }

        if (_recipe.ExclusiveKernelMin is { } min && Known(min, "BUILD_EXCLUSIVE_KERNEL_MIN") is { Length: > 0 } minimum && KernelVersions.Compare(Kernel, minimum) < 0)
        {
            return $"{Kernel} is older than BUILD_EXCLUSIVE_KERNEL_MIN \"{minimum}\" (line {min.Line})";
        }

        if (_recipe.ExclusiveKernelMax is { } max && Known(max, "BUILD_EXCLUSIVE_KERNEL_MAX") is { Length: > 0 } maximum && KernelVersions.Compare(Kernel, maximum) > 0)
        {
            return $"{Kernel} is newer than BUILD_EXCLUSIVE_KERNEL_MAX \"{maximum}\" (line {max.Line})";
        }

        if (_recipe.ExclusiveConfig is { } wanted && config is not null && Known(wanted, DkmsDirectives.BuildExclusiveConfig) is { Length: > 0 } symbols)
        {
            foreach (string symbol in symbols.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                bool negated = symbol.StartsWith('!');
                string name = negated ? symbol[1..] : symbol;
                if (config.IsEnabled(name) == negated)
                {
                    return $"BUILD_EXCLUSIVE_CONFIG \"{symbol}\" (line {wanted.Line}) is not true of {Kernel}'s configuration";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The make command: MAKE[0] unless MAKE_MATCH[0] is set, then the last MAKE[i] whose MAKE_MATCH[i] matches the
    /// kernel; DKMS's default when none applies. Null text means the default.
    /// </summary>
    public MatchedValue? MakeCommand()
    {
        MatchedValue? chosen = null;
        foreach (MatchedValue make in _recipe.Make)
        {
            string command = Known(make.Value, $"MAKE[{make.Index}]");
            if (command.Length == 0)
            {
                continue;
            }

            if (make.Match is null || make.Match.Text.Length == 0)
            {
                chosen = make.Index == 0 ? make : chosen;
            }
            else if (Matches(Kernel, Known(make.Match, $"MAKE_MATCH[{make.Index}]"), make.Match, $"MAKE_MATCH[{make.Index}]"))
            {
                chosen = make;
            }
        }

        return chosen;
    }

    /// <summary>The PATCH[i] file names whose PATCH_MATCH[i] is unset or matches the kernel, in index order.</summary>
    public IReadOnlyList<(string File, int Line)> Patches() =>
    [
        .. _recipe.Patches
            .Where(p => Known(p.Value, $"PATCH[{p.Index}]").Length > 0
                && (p.Match is null || p.Match.Text.Length == 0 || Matches(Kernel, Known(p.Match, $"PATCH_MATCH[{p.Index}]"), p.Match, $"PATCH_MATCH[{p.Index}]")))
            .Select(p => (Expand(p.Value.Text), p.Value.Line)),
    ];

    /// <summary>A value's text with DKMS's run-time variables replaced, or the error of a value bash must compute.</summary>
    public string Known(RecipeValue value, string name) =>
        value.Unknown is { } why
            ? throw DkmsPackException.Input(_confPath, value.Line, $"{name} {why}; building needs its value", "write it literally, or package modules built elsewhere with --from-dkms or --modules")
            : Expand(value.Text);

    /// <summary>Replaces <c>$name</c> and <c>${name}</c> of DKMS's run-time variables with this kernel's values.</summary>
    public string Expand(string text)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length)
            {
                bool braced = text[i + 1] == '{';
                int start = braced ? i + 2 : i + 1;
                int end = start;
                while (end < text.Length && ShellLexer.IsNameChar(text[end]))
                {
                    end++;
                }

                string name = text[start..end];
                bool closed = !braced || (end < text.Length && text[end] == '}');
                if (name.Length > 0 && closed && _variables.TryGetValue(name, out string? value))
                {
                    result.Append(value);
                    i = braced ? end : end - 1;
                    continue;
                }
            }

            result.Append(text[i]);
        }

        return result.ToString();
    }

    // bash's [[ $x =~ $pattern ]]: an unanchored POSIX extended regular expression; .NET's syntax agrees on the ERE subset
    // dkms.conf files use (anchors, classes, alternation, repetition).
    private bool Matches(string subject, string pattern, RecipeValue value, string name)
    {
        try
        {
            return Regex.IsMatch(subject, pattern, RegexOptions.CultureInvariant, s_matchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw DkmsPackException.Input(_confPath, value.Line, $"{name} \"{pattern}\" is not a regular expression ({ex.Message.TrimEnd('.')})", "fix the pattern: bash would fail on it too");
        }
        catch (RegexMatchTimeoutException)
        {
            throw DkmsPackException.Input(_confPath, value.Line, $"{name} \"{pattern}\" takes too long to match", "simplify the pattern");
        }
    }
}

/// <summary>Kernel release order as <c>sort -V</c> gives it, for BUILD_EXCLUSIVE_KERNEL_MIN and _MAX.</summary>
internal static class KernelVersions
{
    /// <summary>Compares runs of digits by number and other runs by character, left to right.</summary>
    public static int Compare(string left, string right)
    {
        int i = 0;
        int j = 0;
        while (i < left.Length || j < right.Length)
        {
            if (i < left.Length && j < right.Length && char.IsAsciiDigit(left[i]) && char.IsAsciiDigit(right[j]))
            {
                int leftEnd = i;
                int rightEnd = j;
                while (leftEnd < left.Length && char.IsAsciiDigit(left[leftEnd]))
                {
                    leftEnd++;
                }

                while (rightEnd < right.Length && char.IsAsciiDigit(right[rightEnd]))
                {
                    rightEnd++;
                }

                ReadOnlySpan<char> a = left.AsSpan(i, leftEnd - i).TrimStart('0');
                ReadOnlySpan<char> b = right.AsSpan(j, rightEnd - j).TrimStart('0');
                int byNumber = a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
                if (byNumber != 0)
                {
                    return byNumber;
                }

                i = leftEnd;
                j = rightEnd;
                continue;
            }

            int c = (i < left.Length ? left[i] : -1).CompareTo(j < right.Length ? right[j] : -1);
            if (c != 0)
            {
                return c;
            }

            i++;
            j++;
        }

        return 0;
    }
}
