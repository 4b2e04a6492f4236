namespace DkmsPack.Dkms;

/// <summary>
/// One value of dkms.conf that building needs, as the static reading found it: its text with static references resolved
/// and DKMS run-time variables (<c>${kernelver}</c> …) kept as written, the line it was set on, and, when the value
/// needs bash to compute (<c>$(…)</c>, a conditional assignment …), why it cannot be known without running dkms.conf.
/// </summary>
public sealed record RecipeValue(string Text, int Line, string? Unknown)
{
    public bool IsKnown => Unknown is null;
}

/// <summary>A command of an indexed family (MAKE[i] with MAKE_MATCH[i], PATCH[i] with PATCH_MATCH[i]).</summary>
public sealed record MatchedValue(int Index, RecipeValue Value, RecipeValue? Match);

/// <summary>
/// What DKMS reads from dkms.conf to build a module for one kernel (dkms 3.x <c>read_conf</c>, <c>prepare_build</c>,
/// <c>actual_build</c>; docs/prebuilt-modules.md): the make and clean commands, patches, build scripts, STRIP per
/// module record and the BUILD_EXCLUSIVE conditions. Packaging never needs it; building prebuilt modules does.
/// </summary>
public sealed record DkmsBuildRecipe
{
    public IReadOnlyList<MatchedValue> Make { get; init; } = [];

    public RecipeValue? Clean { get; init; }

    public IReadOnlyList<MatchedValue> Patches { get; init; } = [];

    public RecipeValue? PreBuild { get; init; }

    public RecipeValue? PostBuild { get; init; }

    /// <summary>STRIP[i] by module record index; a record without one takes STRIP[0], and no STRIP at all means yes.</summary>
    public IReadOnlyDictionary<int, RecipeValue> Strip { get; init; } = new Dictionary<int, RecipeValue>();

    public RecipeValue? ExclusiveKernel { get; init; }

    public RecipeValue? ExclusiveArch { get; init; }

    public RecipeValue? ExclusiveConfig { get; init; }

    public RecipeValue? ExclusiveKernelMin { get; init; }

    public RecipeValue? ExclusiveKernelMax { get; init; }

    /// <summary>REMAKE_INITRD: ignored by DKMS since 2.8.8, honoured by prebuilt module packages (docs/prebuilt-modules.md).</summary>
    public RecipeValue? RemakeInitrd { get; init; }

    /// <summary>Why the set of MAKE or PATCH indices is not known (e.g. <c>MAKE[$i]=…</c>), or null.</summary>
    public string? UnknownIndices { get; init; }

    /// <summary>
    /// Whether DKMS strips module record <paramref name="index"/> (<c>strip -g</c>): read_conf takes STRIP[0] for a
    /// record without its own, and only a value starting with n or N means no.
    /// </summary>
    public bool StripsModule(int index)
    {
        RecipeValue? value = Strip.GetValueOrDefault(index) is { Text.Length: > 0 } own ? own : Strip.GetValueOrDefault(0);
        return value is null || value.Text.Length == 0 || value.Text[0] is not ('n' or 'N');
    }

    /// <summary>REMAKE_INITRD is a yes (DKMS 2.x read only its first letter).</summary>
    public bool RemakesInitrd => RemakeInitrd is { IsKnown: true, Text: [ 'y' or 'Y', .. ] };

    internal static DkmsBuildRecipe From(DkmsConfScript script)
    {
        RecipeValue? Scalar(string name) => script.Element(name) is { } element ? ValueOf(element) : null;
        List<MatchedValue> Family(string name, string match) =>
        [
            .. (script.Variable(name)?.Elements ?? new Dictionary<int, VariableElement>())
                .Select(pair => new MatchedValue(pair.Key, ValueOf(pair.Value), script.Element(match, pair.Key) is { } m ? ValueOf(m) : null)),
        ];

        string? unknownIndices = new[] { DkmsDirectives.Make, "MAKE_MATCH", DkmsDirectives.Patch, "PATCH_MATCH" }
            .Select(name => script.Variable(name)?.IndicesDynamic is { } why ? $"{name} {why.Text}" : null)
            .FirstOrDefault(why => why is not null);
        return new DkmsBuildRecipe
        {
            Make = Family(DkmsDirectives.Make, "MAKE_MATCH"),
            Clean = Scalar(DkmsDirectives.Clean),
            Patches = Family(DkmsDirectives.Patch, "PATCH_MATCH"),
            PreBuild = Scalar("PRE_BUILD"),
            PostBuild = Scalar("POST_BUILD"),
            Strip = (script.Variable(DkmsDirectives.Strip)?.Elements ?? new Dictionary<int, VariableElement>()).ToDictionary(p => p.Key, p => ValueOf(p.Value)),
            ExclusiveKernel = Scalar("BUILD_EXCLUSIVE_KERNEL"),
            ExclusiveArch = Scalar("BUILD_EXCLUSIVE_ARCH"),
            ExclusiveConfig = Scalar(DkmsDirectives.BuildExclusiveConfig),
            ExclusiveKernelMin = Scalar(DkmsDirectives.BuildExclusiveKernelMin),
            ExclusiveKernelMax = Scalar(DkmsDirectives.BuildExclusiveKernelMax),
            RemakeInitrd = Scalar("REMAKE_INITRD"),
            UnknownIndices = unknownIndices,
        };
    }

    private static RecipeValue ValueOf(VariableElement element) => new(element.Value.Text, element.Line, element.Value.Dynamic?.Text);
}
