namespace DkmsPack.Model;

/// <summary>
/// One changelog entry, newest first in <see cref="PackageSpec.Changelog"/>. <see cref="Version"/> is the package
/// version in Debian's form (<c>UPSTREAM-REVISION</c>, an epoch allowed); the RPM writer turns it into its own.
/// <see cref="Changes"/> are the items, each one or more lines, without the <c>*</c> or <c>-</c> bullet.
/// </summary>
public sealed record ChangelogEntry(string Version, long Time, string Author, IReadOnlyList<string> Changes, string Distribution = "unstable", string Urgency = "medium");

/// <summary>Where a user's script fragment runs: after the package's own steps in that script.</summary>
public enum HookPoint
{
    /// <summary>deb postinst, RPM %post.</summary>
    PostInstall,

    /// <summary>deb prerm, RPM %preun.</summary>
    PreRemove,

    /// <summary>deb postrm, RPM %postun.</summary>
    PostRemove,
}

/// <summary>One user fragment: where it runs, for which format (null: every format), its text and where it came from.</summary>
public sealed record HookFragment(HookPoint Point, string? Format, string Text, string Origin);

/// <summary>
/// What the maintainer scripts do besides DKMS: reload udev when the package ships udev rules (never depmod: DKMS
/// runs it), and the user's fragments, which run after the package's own steps.
/// </summary>
public sealed class PackageHooks
{
    public static PackageHooks None { get; } = new();

    /// <summary>The package ships udev rules: reload them (udevadm control --reload, trigger) after install and removal.</summary>
    public bool ReloadUdev { get; init; }

    public IReadOnlyList<HookFragment> Fragments { get; init; } = [];

    /// <summary><paramref name="format"/>'s fragment for <paramref name="point"/>: its own, else the common one, else null.</summary>
    public HookFragment? For(string format, HookPoint point) =>
        Fragments.FirstOrDefault(f => f.Point == point && f.Format == format) ?? Fragments.FirstOrDefault(f => f.Point == point && f.Format is null);

    /// <summary>True when <paramref name="format"/> has something to run at <paramref name="point"/> (udev counts after install and removal).</summary>
    public bool Any(string format, HookPoint point) => For(format, point) is not null || (ReloadUdev && point != HookPoint.PreRemove);
}
