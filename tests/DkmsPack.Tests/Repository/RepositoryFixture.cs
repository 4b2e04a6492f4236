using DkmsPack.Packaging;
using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// What the repository tests share, made once per test class: a throw-away Ed25519 signing key (gpg, 2020) and
/// the packages of one test module, dkmspack-repotest, in versions 0.1 and 0.2 as .deb and .rpm (the rpms signed
/// with that key), and a stub rpm made by rpmbuild that provides what they require (dkms, /bin/sh). Made on first
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

    private readonly Lazy<string> _foreign;

    public RepositoryFixture()
    {
        _built = new Lazy<Built>(Build);
        _foreign = new Lazy<string>(BuildForeign);
    }

    internal GpgHome Gpg => _built.Value.Gpg;

    /// <summary>The armoured secret key, as a file for --signing-key.</summary>
    public string SecretKeyFile => _built.Value.SecretKeyFile;

    public byte[] SecretKey => File.ReadAllBytes(SecretKeyFile);

    public string PublicKeyring => _built.Value.PublicKeyring;

    public string Fingerprint => _built.Value.Fingerprint;

    public string Deb(string version) => _built.Value.Packages[("deb", version)];

    public string Rpm(string version) => _built.Value.Packages[("rpm", version)];

    /// <summary>
    /// An rpm made by rpmbuild (so not by dkmspack), unsigned, that provides dkms and /bin/sh, the requirements of
    /// the module's rpm, with a file list, weak and versioned dependencies and two changelog entries to compare.
    /// </summary>
    public string ForeignRpm => _foreign.Value;

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
                // The rpms are signed: the .repo file asks dnf to check package signatures (gpgcheck=1).
                BuildRequest request = TestBuilds.Request(tree, _directory.Combine("dist-" + version)) with
                {
                    Version = version,
                    Signing = format == "rpm" ? new SigningRequest(File.ReadAllBytes(secret), secret, []) : null,
                };
                packages[(format, version)] = TestBuilds.Build(request, format).Path;
            }
        }

        return new Built(gpg, secret, keyring, fingerprint, packages);
    }

    private string BuildForeign()
    {
        RealTool.Require("rpmbuild");
        string top = _directory.Combine("rpmbuild");
        Directory.CreateDirectory(Path.Combine(top, "SPECS"));
        string spec = Path.Combine(top, "SPECS", "stub.spec");
        File.WriteAllText(spec, """
            Name: dkmspack-repotest-stub
            Version: 1.0
            Release: 2
            Epoch: 3
            Summary: Stands in for dkms and a shell in an empty dnf root
            License: MIT
            BuildArch: x86_64
            Provides: dkms = 3.0.10, /bin/sh
            Requires: /usr/bin/dkmspack-repotest-stub
            Recommends: dkmspack-repotest-nothing
            Conflicts: dkmspack-repotest-old < 2
            Obsoletes: dkmspack-repotest-older
            %description
            A package built by rpmbuild, for the repository tests.
            %install
            mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/dkmspack-repotest
            echo '#!/bin/sh' > %{buildroot}/usr/bin/dkmspack-repotest-stub
            chmod 755 %{buildroot}/usr/bin/dkmspack-repotest-stub
            echo x > %{buildroot}/etc/dkmspack-repotest/conf
            touch %{buildroot}/etc/dkmspack-repotest/state
            %files
            /usr/bin/dkmspack-repotest-stub
            %dir /etc/dkmspack-repotest
            %config /etc/dkmspack-repotest/conf
            %ghost /etc/dkmspack-repotest/state
            %changelog
            * Mon Jan 01 2024 A <a@example.org> - 3:1.0-2
            - second
            * Sun Dec 31 2023 A <a@example.org> - 3:1.0-1
            - first
            """);
        RealTool.RunChecked("rpmbuild", "--define", "_topdir " + top, "-bb", spec);
        return Directory.EnumerateFiles(Path.Combine(top, "RPMS"), "*.rpm", SearchOption.AllDirectories).Single();
    }

    private sealed record Built(GpgHome Gpg, string SecretKeyFile, string PublicKeyring, string Fingerprint, Dictionary<(string, string), string> Packages);
}
