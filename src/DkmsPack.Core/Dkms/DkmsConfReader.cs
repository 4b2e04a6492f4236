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

        DkmsConfScript original = DkmsConfScript.Parse(text);
        DkmsConfScript packaged = options.Version is null ? original : DkmsConfScript.Parse(text, options.Version);
        DkmsConfValidation validation = DkmsConfValidator.Validate(original, packaged, displayPath, options);
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
            Warnings = validation.Diagnostics,
            PackagedText = PackagedTextWriter.Write(original, options.Version),
        };
    }
}
