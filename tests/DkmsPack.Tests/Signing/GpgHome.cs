using System.Globalization;
using System.Text;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>
/// A throw-away GnuPG home in a temp directory, for one test: makes keys with gpg (at a frozen time, so that
/// their creation time is known), exports them, and checks signatures with gpgv and sqv. Nothing here lives
/// past the test: the agent is killed and the directory deleted on dispose, and no key is ever committed.
/// </summary>
internal sealed class GpgHome : IDisposable
{
    /// <summary>Keys are made at this frozen time (gpg's --faked-system-time), 2020-01-01 00:00:00 UTC.</summary>
    public const string KeyTime = "20200101T000000";

    public const long KeyCreation = 1_577_836_800;

    /// <summary>The signature time of the tests (2023-11-14 22:13:20 UTC), after <see cref="KeyCreation"/> and before today.</summary>
    public const long SignTime = 1_700_000_000;

    private readonly TempDirectory _directory = new();

    public GpgHome()
    {
        RealTool.Require("gpg");
        Home = _directory.Combine("gnupg");
        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Home { get; }

    /// <summary>The frozen time gpg runs at (<see cref="KeyTime"/> unless a test moves it), in gpg's ISO form.</summary>
    public string FakedTime { get; set; } = KeyTime;

    public string Combine(string name) => _directory.Combine(name);

    /// <summary>Runs gpg in this home, in batch mode, with the time frozen at <see cref="FakedTime"/>; the passphrase comes by loopback.</summary>
    public string Gpg(string? passphrase, params string[] args) =>
        RealTool.RunChecked("gpg", [.. Base(passphrase), .. args]);

    /// <summary>Makes a key (<c>--quick-gen-key</c>) and returns its primary fingerprint.</summary>
    public string GenerateKey(string algorithm, string usage = "sign", string expire = "never", string? passphrase = null, string userId = "Test <t@example.org>")
    {
        Gpg(passphrase ?? string.Empty, "--quick-gen-key", userId, algorithm, usage, expire);
        return Fingerprints(userId)[0];
    }

    /// <summary>Adds a subkey (<c>--quick-add-key</c>) and returns its fingerprint.</summary>
    public string AddSubkey(string primaryFingerprint, string algorithm, string usage, string expire = "never", string? passphrase = null)
    {
        Gpg(passphrase ?? string.Empty, "--quick-add-key", primaryFingerprint, algorithm, usage, expire);
        return Fingerprints(primaryFingerprint)[^1];
    }

    /// <summary>The fingerprints of a key, primary first then subkeys in order.</summary>
    public List<string> Fingerprints(string which) =>
        Gpg(null, "--with-colons", "--list-keys", which)
            .Split('\n')
            .Where(l => l.StartsWith("fpr:", StringComparison.Ordinal))
            .Select(l => l.Split(':')[9])
            .ToList();

    /// <summary><c>gpg --export-secret-keys --armor</c> (or <c>--export-secret-subkeys</c>), as bytes.</summary>
    public byte[] ExportSecret(string which, string? passphrase = null, bool subkeysOnly = false, bool armor = true)
    {
        string file = Combine("secret-" + Guid.NewGuid().ToString("N") + (armor ? ".asc" : ".gpg"));
        Gpg(passphrase ?? string.Empty, [.. armor ? ["--armor"] : Array.Empty<string>(), "--output", file, subkeysOnly ? "--export-secret-subkeys" : "--export-secret-keys", which]);
        byte[] bytes = File.ReadAllBytes(file);
        File.Delete(file);
        return bytes;
    }

    /// <summary><c>gpg --export</c> to a binary keyring file; returns its path.</summary>
    public string ExportPublic(string which, string name = "pub.gpg")
    {
        string file = Combine(name);
        Gpg(null, "--output", file, "--export", which);
        return file;
    }

    /// <summary>Imports the revocation certificate gpg wrote when it made the key (openpgp-revocs.d), so the key is revoked.</summary>
    public void Revoke(string fingerprint)
    {
        string certificate = File.ReadAllText(Path.Combine(Home, "openpgp-revocs.d", fingerprint + ".rev"));
        string file = Combine("revoke.asc");
        File.WriteAllText(file, certificate.Replace(":-----BEGIN", "-----BEGIN", StringComparison.Ordinal));
        Gpg(null, "--import", file);
    }

    /// <summary>Writes <paramref name="bytes"/> to a file here and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string file = Combine(name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary><c>gpgv --keyring KEYRING SIG [DATA]</c> (no time faked): its exit code and output.</summary>
    public (int ExitCode, string Output) Gpgv(string keyring, params string[] files)
    {
        (int exitCode, string stdOut, string stdErr) = RealTool.Run("gpgv", ["--homedir", Home, "--keyring", keyring, .. files]);
        return (exitCode, stdOut + stdErr);
    }

    /// <summary>Fails the test unless gpgv accepts the signature; returns gpgv's output.</summary>
    public string AssertGpgvAccepts(string keyring, params string[] files)
    {
        (int exitCode, string output) = Gpgv(keyring, files);
        Assert.True(exitCode == 0, $"gpgv exited {exitCode}: {output}");
        Assert.Contains("Good signature", output, StringComparison.Ordinal);
        return output;
    }

    /// <summary>Writes the signature and data to files, fails the test unless gpgv and sqv both accept them, and returns gpgv's output.</summary>
    public string AssertVerifiersAccept(string keyring, byte[] signature, byte[] data)
    {
        string signatureFile = Write("checked.sig", signature);
        string dataFile = Write("checked.data", data);
        string output = AssertGpgvAccepts(keyring, signatureFile, dataFile);
        AssertSqvAccepts(keyring, signatureFile, dataFile);
        return output;
    }

    /// <summary>Fails the test unless sqv accepts the detached signature.</summary>
    public static void AssertSqvAccepts(string keyring, string signature, string data)
    {
        (int exitCode, string output) = Sqv(keyring, signature, data);
        Assert.True(exitCode == 0, $"sqv exited {exitCode}: {output}");
    }

    /// <summary><c>sqv --keyring KEYRING SIG DATA</c>: its exit code and output.</summary>
    public static (int ExitCode, string Output) Sqv(string keyring, string signature, string data)
    {
        (int exitCode, string stdOut, string stdErr) = RealTool.Run("sqv", "--keyring", keyring, signature, data);
        return (exitCode, stdOut + stdErr);
    }

    public void Dispose()
    {
        try
        {
            RealTool.Run("gpgconf", "--homedir", Home, "--kill", "all");
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private string[] Base(string? passphrase)
    {
        var args = new List<string> { "--homedir", Home, "--batch", "--no-tty", "--faked-system-time", FakedTime + "!" };
        if (passphrase is not null)
        {
            args.AddRange(["--pinentry-mode", "loopback", "--passphrase", passphrase]);
        }

        return [.. args];
    }

    public static string Seconds(long value) => value.ToString(CultureInfo.InvariantCulture);
}
