namespace DkmsPack.Dkms;

/// <summary>
/// The DKMS that each Debian-family release ships, for <c>dkmspack check</c>'s "which distributions build it". The
/// Debian versions are those the release matrix installs (tests/matrix/results.md); the Ubuntu versions are those in
/// Ubuntu's archive for the release (not tested here). RPM distributions follow upstream releases: compare with
/// <see cref="DkmsFeatures.Requirement.Upstream"/>.
/// </summary>
public static class DkmsReleases
{
    /// <param name="Distribution">The release, as users name it.</param>
    /// <param name="DkmsVersion">The dkms package's version there.</param>
    public sealed record Release(string Distribution, string DkmsVersion);

    public static readonly IReadOnlyList<Release> DebianFamily =
    [
        new("Debian 11 (bullseye)", "2.8.4-3"),
        new("Debian 12 (bookworm)", "3.0.10-8+deb12u1"),
        new("Debian 13 (trixie)", "3.2.2-1~deb13u1"),
        new("Ubuntu 22.04 (jammy)", "2.8.7-2ubuntu2.2"),
        new("Ubuntu 24.04 (noble)", "3.0.11-1ubuntu13"),
    ];
}
