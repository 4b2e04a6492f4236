using DkmsPack.Diagnostics;
using DkmsPack.Dkms;

namespace DkmsPack.Tests.Dkms;

/// <summary>Shortcuts for reading dkms.conf text in tests; messages name the file "dkms.conf".</summary>
internal static class DkmsConfTesting
{
    public const string DisplayPath = "dkms.conf";

    public static DkmsConf Read(string text, string? version = null, Func<string, TreeFileKind>? probe = null) =>
        DkmsConfReader.Read(text, DisplayPath, new DkmsConfOptions { Version = version, ProbeTree = probe });

    /// <summary>Every diagnostic as printed, in order, whether reading failed (errors) or succeeded (warnings only).</summary>
    public static string[] Findings(string text, string? version = null, Func<string, TreeFileKind>? probe = null)
    {
        try
        {
            return [.. Read(text, version, probe).Warnings.Select(diagnostic => diagnostic.ToString())];
        }
        catch (InvalidInputException e)
        {
            return [.. e.Diagnostics.Select(diagnostic => diagnostic.ToString())];
        }
    }

    /// <summary>A module tree holding exactly <paramref name="entries"/>; anything else is missing.</summary>
    public static Func<string, TreeFileKind> Tree(params (string Path, TreeFileKind Kind)[] entries)
    {
        var files = entries.ToDictionary(entry => entry.Path, entry => entry.Kind, StringComparer.Ordinal);
        return path => files.GetValueOrDefault(path, TreeFileKind.Missing);
    }

    /// <summary>The evaluated value of <paramref name="name"/>[<paramref name="index"/>], failing the test when it is unset.</summary>
    public static ShellValue Value(this DkmsConfScript script, string name, int index = 0) =>
        script.Element(name, index)?.Value ?? throw new Xunit.Sdk.XunitException($"{name}[{index}] is not set");
}
