using System.Text;
using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;
using DkmsPack.Tests.Verification;
using Xunit;

namespace DkmsPack.Tests.Packaging.Arch;

/// <summary>
/// The detached signature of a signed Arch package (<c>PACKAGE.sig</c>), judged by gpgv and sqv, by Debian's pacman
/// with <c>SigLevel = Required</c> against a pacman-key keyring that trusts the key, and by repo-add; and
/// <c>dkmspack verify</c> on the same files, which must say what pacman says (and what <c>pacman -Qkk</c> says of a
/// file changed inside a package that was signed again).
/// </summary>
public sealed class ArchSigningTests(SignedBuilds builds) : SignedBuildsTests(builds)
{
    [Theory]
    [InlineData("ed25519", "EdDSA")]
    [InlineData("rsa3072", "RSA")]
    public void SignedPackage_GpgvSqvAndPacmanAccept_AndVerifySaysOk(string algorithm, string name)
    {
        string package = Builds.Arch(algorithm);
        Builds.Gpg.AssertGpgvAccepts(Builds.BinaryKeyrings[algorithm], package + ".sig", package);
        GpgHome.AssertSqvAccepts(Builds.BinaryKeyrings[algorithm], package + ".sig", package);
        using var pacman = new PacmanWithKeyring(Builds, algorithm);

        var install = pacman.Install(package);

        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        Assert.Contains("checking package integrity", install.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(pacman.Root, "usr/src/apple-gmux-0.1/dkms.conf")));
        var verify = DkmsPackProcess.Run(["verify", package, "--key", Builds.PublicKeys[algorithm]]);
        Assert.True(verify.ExitCode == 0, verify.StdErr);
        Assert.Matches(
            $@"^{System.Text.RegularExpressions.Regex.Escape(package)}: OK: signature \(\S+\.pkg\.tar\.zst\.sig\) {name}/SHA256 by {Builds.Fingerprints[algorithm]} \(2026-01-01 00:00:00 UTC\) over the package, \.MTREE: \d+ paths, type, mode, owner, time, size, MD5 and SHA256 match$",
            verify.StdOut.Trim());
    }

    [Theory]
    [InlineData("package byte", "invalid or corrupted package (PGP signature)")]
    [InlineData("signature byte", "invalid or corrupted package (PGP signature)")]
    [InlineData("no signature", "missing required signature")]
    [InlineData("unknown key", "required key missing from keyring")]
    public void ChangedOrMissingSignatures_PacmanRefuses_AndVerifyToo(string change, string pacmanSays)
    {
        string directory = Builds.CopyOutput("ed25519");
        string package = Directory.GetFiles(directory, "*.pkg.tar.zst").Single();
        switch (change)
        {
            case "package byte":
                Flip(package, 100);
                break;
            case "signature byte":
                Flip(package + ".sig", new FileInfo(package + ".sig").Length - 5);
                break;
            case "no signature":
                File.Delete(package + ".sig");
                break;
        }

        // "unknown key": the package as built, against a keyring holding only the other test key.
        using var pacman = new PacmanWithKeyring(Builds, change == "unknown key" ? "rsa3072" : "ed25519");
        var install = pacman.Install(package);
        var verify = DkmsPackProcess.Run(["verify", package, "--key", change == "unknown key" ? Builds.PublicKeys["rsa3072"] : Builds.PublicKeys["ed25519"]]);

        Assert.NotEqual(0, install.ExitCode);
        Assert.Contains(pacmanSays, install.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(pacman.Root, "usr/src/apple-gmux-0.1")));
        Assert.Equal(2, verify.ExitCode);
        Assert.Single(verify.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AFileChangedInsideAndSignedAgain_PacmanInstallsIt_QkkReportsIt_AndVerifyNamesItFromTheMtree()
    {
        RealTool.Require("zstd");
        string directory = Builds.CopyOutput("ed25519");
        string package = Directory.GetFiles(directory, "*.pkg.tar.zst").Single();
        string tar = Path.Combine(directory, "package.tar");
        RealTool.RunChecked("zstd", "-q", "-d", package, "-o", tar);
        byte[] bytes = File.ReadAllBytes(tar);
        byte[] needle = Encoding.ASCII.GetBytes("obj-m := apple-gmux.o");
        int at = bytes.AsSpan().IndexOf(needle);
        Assert.True(at > 0);
        bytes[at] = (byte)'O'; // same size: the tar stays valid, the Makefile's digests no longer match the .MTREE
        File.WriteAllBytes(tar, bytes);
        File.Delete(package);
        File.Delete(package + ".sig");
        RealTool.RunChecked("zstd", "-q", tar, "-o", package);
        Builds.Gpg.Gpg(null, "--local-user", Builds.Fingerprints["ed25519"], "--detach-sign", "--output", package + ".sig", package);
        using var pacman = new PacmanWithKeyring(Builds, "ed25519");

        var install = pacman.Install(package);
        var check = pacman.Run("-Qkk", "apple-gmux-dkms");
        var verify = DkmsPackProcess.Run(["verify", package, "--key", Builds.PublicKeys["ed25519"]]);

        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("usr/src/apple-gmux-0.1/Makefile", check.StdOut + check.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, verify.ExitCode);
        string line = Assert.Single(verify.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(".MTREE (BAD): usr/src/apple-gmux-0.1/Makefile: SHA256 does not match", line, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD signature", line, StringComparison.Ordinal);
    }

    [Fact]
    public void RepoAdd_RecordsTheSignature_AndRefusesAnArmouredOne()
    {
        string repoAdd = RealTool.Require("repo-add");
        string directory = Builds.CopyOutput("ed25519");
        string package = Directory.GetFiles(directory, "*.pkg.tar.zst").Single();
        string database = Path.Combine(directory, "test.db.tar.gz");

        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: directory), repoAdd, database, Path.GetFileName(package));

        string desc = RealTool.RunChecked("bsdtar", "-xOf", database, "*/desc");
        Assert.Contains("%PGPSIG%\n" + Convert.ToBase64String(File.ReadAllBytes(package + ".sig")) + "\n", desc, StringComparison.Ordinal);

        // An armoured .sig, which pacman 6.0.2 installs with a "signature format error" but repo-add refuses: so
        // dkmspack writes binary, and verify refuses armour too.
        File.Delete(package + ".sig");
        Builds.Gpg.Gpg(null, "--local-user", Builds.Fingerprints["ed25519"], "--armor", "--detach-sign", "--output", package + ".sig", package);
        var refused = RealTool.Run(new RealToolOptions(WorkingDirectory: directory), repoAdd, Path.Combine(directory, "other.db.tar.gz"), Path.GetFileName(package));
        var verify = DkmsPackProcess.Run(["verify", package, "--key", Builds.PublicKeys["ed25519"]]);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Cannot use armored signatures", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("is ASCII-armoured", verify.StdErr, StringComparison.Ordinal);
    }

    private static void Flip(string file, long offset)
    {
        byte[] bytes = File.ReadAllBytes(file);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(file, bytes);
    }

    /// <summary>
    /// A pacman-key keyring (<c>--init</c>, the test key added and locally signed, so pacman trusts it fully), a
    /// pacman.conf requiring signatures, and an empty root: pacman -U installs there with its own database,
    /// scriptlets and dependency checks off (the root has no dkms).
    /// </summary>
    private sealed class PacmanWithKeyring : IDisposable
    {
        private readonly TempDirectory _directory = new();
        private readonly string _keyring;
        private readonly string _config;

        public PacmanWithKeyring(SignedBuilds builds, string algorithm)
        {
            string pacmanKey = RealTool.Require("pacman-key");
            RealTool.Require("pacman");
            _keyring = _directory.Combine("gnupg");
            RealTool.RunChecked(pacmanKey, "--gpgdir", _keyring, "--init");
            RealTool.RunChecked(pacmanKey, "--gpgdir", _keyring, "--add", builds.PublicKeys[algorithm]);
            RealTool.RunChecked(pacmanKey, "--gpgdir", _keyring, "--lsign-key", builds.Fingerprints[algorithm]);

            // pacman offers to fetch an unknown key: from nowhere, so that a test never reaches the network.
            File.WriteAllText(Path.Combine(_keyring, "dirmngr.conf"), "keyserver hkp://127.0.0.1:1\n");
            _config = _directory.Combine("pacman.conf");
            File.WriteAllText(_config, "[options]\nSigLevel = Required DatabaseOptional\nLocalFileSigLevel = Required\n");
            Root = _directory.Combine("root");
            Directory.CreateDirectory(Path.Combine(Root, "var/lib/pacman"));
        }

        public string Root { get; }

        public (int ExitCode, string StdOut, string StdErr) Install(string package) =>
            Run("-U", "--noconfirm", "--noscriptlet", "-dd", package);

        public (int ExitCode, string StdOut, string StdErr) Run(params string[] args) =>
            RealTool.Run("pacman", ["--config", _config, "--root", Root, "--dbpath", Path.Combine(Root, "var/lib/pacman"), "--gpgdir", _keyring, .. args]);

        public void Dispose()
        {
            try
            {
                RealTool.Run("gpgconf", "--homedir", _keyring, "--kill", "all");
            }
            finally
            {
                _directory.Dispose();
            }
        }
    }
}
