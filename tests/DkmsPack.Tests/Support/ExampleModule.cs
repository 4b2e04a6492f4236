namespace DkmsPack.Tests.Support;

/// <summary>
/// A copy of examples/apple-gmux-0.1 renamed to a module name of the test's own, so that installing it
/// never touches a real apple-gmux the machine may have.
/// </summary>
internal static class ExampleModule
{
    public static string CopyRenamed(TempDirectory temp, string moduleName)
    {
        string tree = temp.CopyTree(Repo.Example("apple-gmux-0.1"), moduleName);
        foreach (string file in (string[])["dkms.conf", "Makefile", "apple-gmux.c"])
        {
            string path = Path.Combine(tree, file);
            File.WriteAllText(path, File.ReadAllText(path).Replace("apple-gmux", moduleName, StringComparison.Ordinal));
        }

        File.Move(Path.Combine(tree, "apple-gmux.c"), Path.Combine(tree, moduleName + ".c"));
        return tree;
    }

    /// <summary>Kernels in /lib/modules whose headers are installed (what the install scripts build for).</summary>
    public static IReadOnlyList<string> KernelsWithHeaders() =>
        Directory.Exists("/lib/modules")
            ? [.. Directory.EnumerateDirectories("/lib/modules").Where(k => Directory.Exists(Path.Combine(k, "build", "include"))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
}
