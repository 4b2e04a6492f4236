using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Verification;

/// <summary>
/// The example module built once with <c>dkmspack build</c>, signed with a throw-away Ed25519 key and a throw-away
/// RSA key, and once unsigned; shared by the verify tests, which copy a file before changing it. The builds are
/// made by the first test that asks (<see cref="EnsureBuilt"/>, from its constructor), so that a missing gpg skips
/// the tests instead of failing the fixture.
/// </summary>
public sealed class SignedBuilds : IDisposable
{
    private readonly Lock _lock = new();
    private GpgHome? _gpg;

    /// <summary>Makes the keys and builds, once; skips the calling test when gpg is missing.</summary>
    internal void EnsureBuilt()
    {
        lock (_lock)
        {
            if (_gpg is null)
            {
                var gpg = new GpgHome();
                _gpg = gpg;
                MakeBuilds();
            }
        }
    }

    private void MakeBuilds()
    {
        foreach (string algorithm in (string[])["ed25519", "rsa3072"])
        {
            string fingerprint = Gpg.GenerateKey(algorithm, userId: $"{algorithm} <{algorithm}@example.org>");
            Fingerprints[algorithm] = fingerprint;
            PublicKeys[algorithm] = Gpg.Write(algorithm + ".pub.asc", Gpg.Gpg(null, "--armor", "--export", fingerprint));
            BinaryKeyrings[algorithm] = Gpg.ExportPublic(fingerprint, algorithm + ".pub.gpg");
            string secret = Gpg.Write(algorithm + ".sec.asc", Gpg.ExportSecret(fingerprint));
            Outputs[algorithm] = Build(algorithm, "--signing-key", secret);
        }

        string other = Gpg.GenerateKey("ed25519", userId: "Other <other@example.org>");
        OtherPublicKey = Gpg.Write("other.pub.asc", Gpg.Gpg(null, "--armor", "--export", other));
        Unsigned = Build("unsigned");
    }

    internal Dictionary<string, string> Fingerprints { get; } = [];

    /// <summary>Armoured public keys, by algorithm.</summary>
    internal Dictionary<string, string> PublicKeys { get; } = [];

    internal Dictionary<string, string> BinaryKeyrings { get; } = [];

    /// <summary>The output directories (.deb, .rpm, .pkg.tar.zst and its .sig, SHA256SUMS, SHA256SUMS.asc), by algorithm.</summary>
    internal Dictionary<string, string> Outputs { get; } = [];

    internal string OtherPublicKey { get; private set; } = string.Empty;

    internal string Unsigned { get; private set; } = string.Empty;

    internal GpgHome Gpg => _gpg ?? throw new InvalidOperationException("call EnsureBuilt first");

    internal string Rpm(string algorithm) => Directory.GetFiles(Outputs[algorithm], "*.rpm").Single();

    internal string Deb(string algorithm) => Directory.GetFiles(Outputs[algorithm], "*.deb").Single();

    /// <summary>The Arch package (its detached signature is the same path with .sig added).</summary>
    internal string Arch(string algorithm) => Directory.GetFiles(Outputs[algorithm], "*.pkg.tar.zst").Single();

    /// <summary>A copy of the whole output directory of <paramref name="algorithm"/>, to change files in.</summary>
    internal string CopyOutput(string algorithm)
    {
        string copy = Gpg.Combine("copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Outputs[algorithm]))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => _gpg?.Dispose();

    private string Build(string name, params string[] signing)
    {
        string output = Gpg.Combine("dist-" + name);
        var result = DkmsPackProcess.Run(
            ["build", Repo.Example("apple-gmux-0.1"), "-o", output, .. signing, "--maintainer", "T <t@example.org>", "-q"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);
        return output;
    }
}

/// <summary>A test class on <see cref="SignedBuilds"/>: the builds are made (or the test skipped) before each test.</summary>
public abstract class SignedBuildsTests : IClassFixture<SignedBuilds>
{
    protected SignedBuildsTests(SignedBuilds builds)
    {
        ArgumentNullException.ThrowIfNull(builds);
        builds.EnsureBuilt();
        Builds = builds;
    }

    internal SignedBuilds Builds { get; }
}
