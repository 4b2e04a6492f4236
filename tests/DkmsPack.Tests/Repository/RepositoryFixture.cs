using DkmsPack.Packaging;
using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// What the repository tests share, made once per test class: a throw-away Ed25519 signing key (gpg, 2020) and
/// the packages of one test module, dkmspack-repotest, in versions 0.1 and 0.2 as .deb and .rpm. Made on first
/// use, so that a machine without gpg skips the tests instead of failing the fixture.
/// </summary>
public sealed class RepositoryFixture : IDisposable
{
    public const string ModuleName = "dkmspack-repotest";

    public const string PackageName = ModuleName + "-dkms";

    /// <summary>The time the repositories are dated and signed at: after the key was made, before today.</summary>
    public const string Epoch = "1700000000";

    private readonly Lazy<Built> _built;
    private readonly TempDirectory _directory = new();
    private readonly List<TempDirectory> _trees = [];

    public RepositoryFixture() => _built = new Lazy<Built>(Build);

    internal GpgHome Gpg => _built.Value.Gpg;

    /// <summary>The armoured secret key, as a file for --signing-key.</summary>
    public string SecretKeyFile => _built.Value.SecretKeyFile;

    public byte[] SecretKey => File.ReadAllBytes(SecretKeyFile);

    public string PublicKeyring => _built.Value.PublicKeyring;

    public string Fingerprint => _built.Value.Fingerprint;

    public string Deb(string version) => _built.Value.Packages[("deb", version)];

    public string Rpm(string version) => _built.Value.Packages[("rpm", version)];

    /// <summary>A fresh signing request (the engine clears the arrays it is given).</summary>
    public SigningRequest Signing() => new(SecretKey, SecretKeyFile, []);

    public void Dispose()
    {
        if (_built.IsValueCreated)
        {
            _built.Value.Gpg.Dispose();
        }

        _directory.Dispose();
        _trees.ForEach(t => t.Dispose());
    }

    private Built Build()
    {
        var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519", userId: "dkmspack repo test <repo@example.org>");
        string secret = gpg.Write("secret.asc", gpg.ExportSecret(fingerprint));
        string keyring = gpg.ExportPublic(fingerprint, "public.gpg");
        var packages = new Dictionary<(string, string), string>();
        foreach (string version in (string[])["0.1", "0.2"])
        {
            var trees = new TempDirectory();
            _trees.Add(trees);
            string tree = ExampleModule.CopyRenamed(trees, ModuleName);
            foreach (string format in (string[])["deb", "rpm"])
            {
                BuildRequest request = TestBuilds.Request(tree, _directory.Combine("dist-" + version)) with { Version = version };
                packages[(format, version)] = TestBuilds.Build(request, format).Path;
            }
        }

        return new Built(gpg, secret, keyring, fingerprint, packages);
    }

    private sealed record Built(GpgHome Gpg, string SecretKeyFile, string PublicKeyring, string Fingerprint, Dictionary<(string, string), string> Packages);
}
