namespace DkmsPack.Model;

/// <summary>
/// A kernel that prebuilt module packages are made for: its release (<c>uname -r</c>) and its architecture in each
/// family's words (Debian <c>amd64</c>, RPM <c>x86_64</c>).
/// </summary>
public sealed record KernelTarget(string Release, string DebianArchitecture, string RpmArchitecture);

/// <summary>One module file ready to install: its name as installed (DEST_MODULE_NAME plus <c>.ko</c> and the compression suffix).</summary>
public sealed record BuiltModule(string FileName, IEntryContent Content);

/// <summary>The modules built (or taken from DKMS or a directory) for one kernel, signed and compressed as asked.</summary>
public sealed record KernelModules(KernelTarget Kernel, IReadOnlyList<BuiltModule> Modules);
