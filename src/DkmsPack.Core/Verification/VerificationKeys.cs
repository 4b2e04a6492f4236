using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Signing;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace DkmsPack.Verification;

/// <summary>
/// The public keys signatures are checked against: every key of every file given (binary packets, or one or
/// more ASCII-armoured public key blocks), merged into one keyring with each key once. A file that holds no
/// readable public key is a command-line error (exit 1): nothing could be verified with it.
/// </summary>
public sealed class VerificationKeys
{
    private VerificationKeys(byte[] keyring, IReadOnlyList<string> fingerprints)
    {
        Keyring = keyring;
        Fingerprints = fingerprints;
    }

    /// <summary>The merged keyring, binary transferable public keys one after the other (RFC 9580 §10.1).</summary>
    internal byte[] Keyring { get; }

    /// <summary>The primary keys' fingerprints, in the order given.</summary>
    public IReadOnlyList<string> Fingerprints { get; }

    /// <param name="files">Each file's bytes and the name to report it by.</param>
    /// <exception cref="DkmsPackException">A file holds no readable public key (exit 1, naming the file).</exception>
    public static VerificationKeys Load(IReadOnlyList<(string Origin, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var keyring = new MemoryStream();
        var fingerprints = new List<string>();
        var seen = new HashSet<long>();
        foreach ((string origin, byte[] bytes) in files)
        {
            foreach (byte[] block in Blocks(bytes, origin))
            {
                PgpPublicKeyRingBundle bundle;
                try
                {
                    bundle = SignatureVerifier.ReadKeyring(block, origin);
                }
                catch (DkmsPackException ex)
                {
                    throw new DkmsPackException([.. ex.Diagnostics.Select(d => d with { Code = DiagnosticCode.Option })], ExitCode.InvalidOptions, ex);
                }

                foreach (PgpPublicKeyRing ring in bundle.GetKeyRings())
                {
                    PgpPublicKey primary = ring.GetPublicKey();
                    if (seen.Add(primary.KeyId))
                    {
                        ring.Encode(keyring);
                        fingerprints.Add(OpenPgp.Hex(primary.GetFingerprint()));
                    }
                }
            }
        }

        return fingerprints.Count > 0
            ? new VerificationKeys(keyring.ToArray(), fingerprints)
            : throw DkmsPackException.Options($"no public key was given to check signatures with", $"give one with {OptionRef.To("key")}");
    }

    /// <summary>The binary packets of a key file: the file itself, or each armoured block in it.</summary>
    private static IEnumerable<byte[]> Blocks(byte[] bytes, string origin)
    {
        if (!OpenPgpArmor.LooksArmored(bytes))
        {
            yield return bytes;
            yield break;
        }

        string text = Encoding.UTF8.GetString(bytes);
        const string Begin = "-----BEGIN PGP ";
        int start = text.IndexOf(Begin, StringComparison.Ordinal);
        while (start >= 0)
        {
            if (!OpenPgpArmor.TryDecode(text[start..], out string label, out byte[] packets, out string? error))
            {
                throw KeyError(origin, $"is not a readable ASCII-armoured OpenPGP public key ({error})");
            }

            if (string.Equals(label, OpenPgpArmor.PrivateKeyLabel, StringComparison.Ordinal))
            {
                throw KeyError(origin, "holds a secret key; verification takes the public key", "export it with `gpg --export --armor KEYID`");
            }

            if (!string.Equals(label, OpenPgpArmor.PublicKeyLabel, StringComparison.Ordinal))
            {
                throw KeyError(origin, $"holds a \"{label}\" block, not an OpenPGP public key");
            }

            yield return packets;
            int end = text.IndexOf("-----END PGP ", start, StringComparison.Ordinal);
            start = end < 0 ? -1 : text.IndexOf(Begin, end, StringComparison.Ordinal);
        }
    }

    private static DkmsPackException KeyError(string origin, string message, string? remedy = null) =>
        new(Diagnostic.Error(origin, 0, message, remedy, DiagnosticCode.Option), ExitCode.InvalidOptions);
}
