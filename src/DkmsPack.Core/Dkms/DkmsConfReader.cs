using DkmsPack.Diagnostics;

namespace DkmsPack.Dkms;

/// <summary>
/// Reads dkms.conf statically and validates it. The file is a bash fragment that DKMS sources; dkmspack never runs it.
/// Lexing (<see cref="ShellLexer"/>), parsing (<see cref="ShellParser"/>), static evaluation (<see cref="ShellEvaluator"/>)
/// and the DKMS rules (<see cref="DkmsConfValidator"/>) each live in their own type.
/// </summary>
public static class DkmsConfReader
{
    /// <summary>
    /// Parses and validates <paramref name="text"/>, collecting every finding. Returns the result with its warnings when
    /// there is no error.
    /// </summary>
    /// <param name="text">The content of dkms.conf, LF or CRLF line endings.</param>
    /// <param name="displayPath">The path to name in messages, e.g. <c>src/dkms.conf</c>.</param>
    /// <param name="options">The --version override and the tree probe for script and patch checks.</param>
    /// <exception cref="InvalidInputException">
    /// dkms.conf breaks at least one rule; <see cref="InvalidInputException.Diagnostics"/> lists every error and warning, sorted by line.
    /// </exception>
    public static DkmsConf Read(string text, string displayPath, DkmsConfOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(displayPath);
        ArgumentNullException.ThrowIfNull(options);

        if (CheckEncoding(text) is { } encodingError)
        {
            throw new InvalidInputException([Diagnostic.Error(displayPath, encodingError.Line, encodingError.Message, encodingError.Remedy, DiagnosticCode.DkmsConf)]);
        }

        DkmsConfScript original;
        DkmsConfScript packaged;
        DkmsConfValidation validation;
        try
        {
            original = DkmsConfScript.Parse(text).StripCarriageReturnsAsDkmsDoes();
            packaged = options.Version is null ? original : DkmsConfScript.Parse(text, options.Version).StripCarriageReturnsAsDkmsDoes();
            validation = DkmsConfValidator.Validate(original, packaged, displayPath, options);
        }
        catch (DkmsConfLimitException e)
        {
            int line = new SourceText(text).LineAt(e.Offset);
            throw new InvalidInputException([Diagnostic.Error(displayPath, line, e.Message, e.Remedy, DiagnosticCode.DkmsConf)]);
        }

        if (validation.Diagnostics.Any(diagnostic => diagnostic.IsError))
        {
            throw new InvalidInputException(validation.Diagnostics);
        }

        return new DkmsConf
        {
            DisplayPath = displayPath,
            Text = text,
            PackageName = validation.PackageName!,
            PackageVersion = validation.PackageVersion!,
            Modules = validation.Modules,
            AutoInstall = validation.AutoInstall,
            UsesBuildExclusiveConfig = validation.UsesBuildExclusiveConfig,
            Features = validation.Features,
            BuildDepends = validation.BuildDepends,
            Warnings = validation.Diagnostics,
            PackagedText = PackagedTextWriter.Write(original, options.Version),
            Recipe = DkmsBuildRecipe.From(packaged),
        };
    }

    // Text bash would read differently from what its author sees, or too large to be a real dkms.conf.
    private static (int Line, string Message, string Remedy)? CheckEncoding(string text)
    {
        const string SaveAsUtf8 = "save dkms.conf as UTF-8 without a byte order mark";
        if (text.Length > DkmsConfLimits.MaxFileBytes)
        {
            return (0, $"is larger than {DkmsConfLimits.MaxFileBytes / 1024} KiB; a real dkms.conf has a few kilobytes", "check that this is the module's dkms.conf");
        }

        if (text.StartsWith('\uFEFF'))
        {
            return (1, "starts with a UTF-8 byte order mark (BOM): bash reads it as part of the first line, so DKMS does not see that line's assignment", SaveAsUtf8);
        }

        int nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            return (new SourceText(text).LineAt(nul), "contains NUL characters, which bash drops without a word; the file is probably UTF-16 text", SaveAsUtf8);
        }

        return null;
    }
}
