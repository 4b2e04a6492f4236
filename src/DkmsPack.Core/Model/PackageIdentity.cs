namespace DkmsPack.Model;

/// <summary>
/// What a format calls the package: its name, full version, architecture and file name, all validated by that
/// format's rules. Every format states its identity for every requested output before any byte is written.
/// </summary>
/// <param name="Format">The format's short name, as given to the formats option: <c>deb</c>, <c>rpm</c>.</param>
/// <param name="Name">The package name, e.g. <c>apple-gmux-dkms</c>.</param>
/// <param name="Version">The full version as the format writes it, e.g. <c>0.1-1</c>.</param>
/// <param name="Architecture">The format's word for "any architecture": <c>all</c>, <c>noarch</c>.</param>
/// <param name="FileName">The package's conventional file name, e.g. <c>apple-gmux-dkms_0.1-1_all.deb</c>.</param>
public sealed record PackageIdentity(string Format, string Name, string Version, string Architecture, string FileName);
