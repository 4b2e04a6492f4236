using DkmsPack.Model;

namespace DkmsPack.Prebuilt;

/// <summary>
/// The kernel architectures a prebuilt module package can be for, each in every family's words, recognised by the
/// kernel configuration (arch/*/Kconfig symbols) or by a module's ELF header (e_machine, elf(5)).
/// </summary>
internal static class KernelArchitectures
{
    /// <param name="Uname">What <c>uname -m</c> says on such a kernel: DKMS's <c>$arch</c>, which BUILD_EXCLUSIVE_ARCH matches.</param>
    /// <param name="ElfMachine">e_machine of its modules (elf.h EM_*).</param>
    /// <param name="LittleEndian">The byte order, where one machine number covers both (ppc64 and ppc64le).</param>
    internal sealed record Architecture(string ConfigSymbol, string? ConfigCondition, string Debian, string Rpm, string Uname, ushort ElfMachine, bool? LittleEndian = null);

    private const ushort ElfMachineI386 = 3;
    private const ushort ElfMachineArm = 40;
    private const ushort ElfMachinePpc64 = 21;
    private const ushort ElfMachineS390 = 22;
    private const ushort ElfMachineX86_64 = 62;
    private const ushort ElfMachineAarch64 = 183;
    private const ushort ElfMachineRiscV = 243;
    private const ushort ElfMachineLoongArch = 258;

    // Debian's names: dpkg's cputable/ostable (dpkg-architecture -L); RPM's: rpm's rpmrc.in arch_canon.
    private static readonly Architecture[] s_architectures =
    [
        new("CONFIG_X86_64", null, "amd64", "x86_64", "x86_64", ElfMachineX86_64),
        new("CONFIG_X86_32", null, "i386", "i686", "i686", ElfMachineI386),
        new("CONFIG_ARM64", null, "arm64", "aarch64", "aarch64", ElfMachineAarch64),
        new("CONFIG_ARM", null, "armhf", "armv7hl", "armv7l", ElfMachineArm),
        new("CONFIG_PPC64", "CONFIG_CPU_LITTLE_ENDIAN", "ppc64el", "ppc64le", "ppc64le", ElfMachinePpc64, LittleEndian: true),
        new("CONFIG_PPC64", null, "ppc64", "ppc64", "ppc64", ElfMachinePpc64, LittleEndian: false),
        new("CONFIG_S390", null, "s390x", "s390x", "s390x", ElfMachineS390),
        new("CONFIG_RISCV", null, "riscv64", "riscv64", "riscv64", ElfMachineRiscV),
        new("CONFIG_LOONGARCH", null, "loong64", "loongarch64", "loongarch64", ElfMachineLoongArch),
    ];

    /// <summary>The architecture a kernel configuration is for, or null when none of ours.</summary>
    public static Architecture? FromConfig(KernelConfig config) =>
        s_architectures.FirstOrDefault(a => config.IsEnabled(a.ConfigSymbol) && (a.ConfigCondition is null || config.IsEnabled(a.ConfigCondition)));

    /// <summary>The architecture of a module by its ELF header's e_machine and byte order, or null.</summary>
    public static Architecture? FromElf(ushort machine, bool bigEndian) =>
        s_architectures.FirstOrDefault(a => a.ElfMachine == machine && (a.LittleEndian is null || a.LittleEndian == !bigEndian));

    /// <summary>The machine's own architecture, for a kernel whose headers and modules do not tell.</summary>
    public static Architecture? FromProcess(System.Runtime.InteropServices.Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => s_architectures[0],
        System.Runtime.InteropServices.Architecture.X86 => s_architectures[1],
        System.Runtime.InteropServices.Architecture.Arm64 => s_architectures[2],
        System.Runtime.InteropServices.Architecture.Arm => s_architectures[3],
        System.Runtime.InteropServices.Architecture.Ppc64le => s_architectures[4],
        System.Runtime.InteropServices.Architecture.S390x => s_architectures[6],
        System.Runtime.InteropServices.Architecture.RiscV64 => s_architectures[7],
        System.Runtime.InteropServices.Architecture.LoongArch64 => s_architectures[8],
        _ => null,
    };

    public static KernelTarget Target(string release, Architecture architecture) => new(release, architecture.Debian, architecture.Rpm);
}

/// <summary>A kernel's <c>.config</c>: which CONFIG_ symbols are built in or modular, as BUILD_EXCLUSIVE_CONFIG tests them.</summary>
internal sealed class KernelConfig
{
    private readonly Dictionary<string, string> _values;

    private KernelConfig(Dictionary<string, string> values) => _values = values;

    public static KernelConfig Empty { get; } = new([]);

    /// <summary>Reads <c>SYMBOL=value</c> lines; comments (<c># CONFIG_X is not set</c>) and other lines are skipped.</summary>
    public static KernelConfig Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        return new KernelConfig(values);
    }

    /// <summary>Set to y or m: what DKMS's <c>grep -E "^SYMBOL=[ym]"</c> finds.</summary>
    public bool IsEnabled(string symbol) => _values.TryGetValue(symbol, out string? value) && value is "y" or "m";

    public string? Value(string symbol) => _values.GetValueOrDefault(symbol);
}
