namespace DkmsPack.Dkms;

/// <summary>
/// The bounds dkmspack reads dkms.conf within (docs/dkms-conf.md, "Limits"). Real files are a few kilobytes with a
/// handful of module records and a few levels of nesting; these bounds are far above that and keep hostile input from
/// exhausting the stack, memory or time.
/// </summary>
internal static class DkmsConfLimits
{
    /// <summary>The largest dkms.conf read, in bytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>How deep <c>{ }</c>, <c>if</c>, loops, <c>( )</c>, functions and <c>$( ${ "</c> may nest.</summary>
    public const int MaxNesting = 100;

    /// <summary>The longest value of one variable element, in characters.</summary>
    public const int MaxValueLength = 1024 * 1024;

    /// <summary>All values computed while evaluating the file, in characters: bounds the work of <c>B=$A</c> repeated.</summary>
    public const int MaxEvaluatedLength = 64 * 1024 * 1024;

    /// <summary>The most module records (highest index of BUILT_MODULE_NAME and its family, plus one).</summary>
    public const int MaxModuleRecords = 1024;
}

/// <summary>
/// dkms.conf exceeds one of <see cref="DkmsConfLimits"/>. Unlike a syntax error it ends the reading at once, with this
/// single finding: what was read up to there is no basis for further checks.
/// </summary>
#pragma warning disable CA1064 // Never escapes this assembly: DkmsConfReader turns it into an InvalidInputException.
internal sealed class DkmsConfLimitException(int offset, string message, string remedy) : Exception(message)
#pragma warning restore CA1064
{
    /// <summary>Where in the text being read the limit was hit.</summary>
    public int Offset { get; } = offset;

    public string Remedy { get; } = remedy;

    public static DkmsConfLimitException Nesting(int offset) => new(
        offset,
        $"dkms.conf nests more than {DkmsConfLimits.MaxNesting} levels deep here",
        "flatten the nested blocks, subshells or expansions (real dkms.conf files need a few levels)");
}
