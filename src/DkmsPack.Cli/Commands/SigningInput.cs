using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Packaging;

namespace DkmsPack.Cli.Commands;

/// <summary>
/// Where the signing key and its passphrase come from: a file or an environment variable, never the command line
/// (which other users of the machine can read in /proc). Neither value is ever printed.
/// </summary>
internal static class SigningInput
{
    public const string KeyVariable = "DKMSPACK_SIGNING_KEY";
    public const string PassphraseVariable = "DKMSPACK_SIGNING_PASSPHRASE";

    /// <summary>An OpenPGP key file is a few KiB; a cap keeps a wrong path (a disk image, /dev/zero) from filling memory.</summary>
    private const int MaxKeyFileBytes = 1 << 20;

    /// <summary>The key to sign with, or null when neither --sign nor --signing-key was given.</summary>
    public static SigningRequest? Read(bool sign, string? keyFile, string? passphraseFile)
    {
        if (!sign && keyFile is null)
        {
            return passphraseFile is null
                ? null
                : throw DkmsPackException.Options("--signing-passphrase-file was given without a key to sign with", $"add --sign (key in ${KeyVariable}) or --signing-key FILE");
        }

        byte[] key;
        string origin;
        if (keyFile is not null)
        {
            key = ReadSmallFile(keyFile, "the signing key");
            origin = keyFile;
        }
        else
        {
            string? text = Environment.GetEnvironmentVariable(KeyVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw DkmsPackException.Options($"--sign needs a key, and ${KeyVariable} is not set", $"set {KeyVariable} to the output of `gpg --export-secret-keys --armor KEYID`, or pass --signing-key FILE");
            }

            key = Encoding.UTF8.GetBytes(text);
            origin = "$" + KeyVariable;
        }

        return new SigningRequest(key, origin, Passphrase(passphraseFile));
    }

    private static char[] Passphrase(string? file)
    {
        if (file is null)
        {
            return (Environment.GetEnvironmentVariable(PassphraseVariable) ?? string.Empty).ToCharArray();
        }

        byte[] bytes = ReadSmallFile(file, "the passphrase");
        try
        {
            // The first line: editors and `echo` leave a newline after it.
            int end = Array.FindIndex(bytes, b => b is (byte)'\n' or (byte)'\r');
            return Encoding.UTF8.GetChars(bytes, 0, end < 0 ? bytes.Length : end);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>A key or passphrase file, at most 1 MiB, refused unless it is a regular file (exit 2 otherwise).</summary>
    internal static byte[] ReadSmallFile(string path, string what)
    {
        // Checked before opening: opening a FIFO would wait for a writer for ever.
        FileKind kind = FileStatusReader.Stat(path).Kind;
        if (kind != FileKind.Regular)
        {
            throw DkmsPackException.Input(path, kind == FileKind.Missing ? $"no such file (expected {what})" : $"is not a regular file (expected {what})", "give the path of the file itself");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (stream.Length > MaxKeyFileBytes)
            {
                throw DkmsPackException.Input(path, $"is not a file of {what} (it is larger than 1 MiB)", "give the path of the file itself");
            }

            byte[] bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DkmsPackException.Input(path, $"cannot be read as {what} ({ex.Message.TrimEnd('.')})", "check the path and its permissions", inner: ex);
        }
    }
}
