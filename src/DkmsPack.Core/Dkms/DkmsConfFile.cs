using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.IO;

namespace DkmsPack.Dkms;

/// <summary>
/// dkms.conf as read from disk: its exact <see cref="Bytes"/> (what the package ships unless a version override rewrote
/// the text) and the <see cref="Text"/> dkmspack reads. Valid UTF-8 is decoded as UTF-8, a leading BOM kept as U+FEFF so
/// that <see cref="DkmsConfReader"/> can reject it. Anything else is decoded byte for byte as ISO-8859-1: bash reads
/// bytes, the shell syntax is ASCII, and <see cref="Encode"/> gives back the very same bytes (docs/dkms-conf.md).
/// </summary>
public sealed record DkmsConfFileContent(byte[] Bytes, string Text, Encoding Encoding)
{
    /// <summary>The bytes to package for <paramref name="packagedText"/>: <see cref="Bytes"/> itself when it is <see cref="Text"/>.</summary>
    public byte[] Encode(string packagedText)
    {
        ArgumentNullException.ThrowIfNull(packagedText);
        return string.Equals(packagedText, Text, StringComparison.Ordinal) ? Bytes : Encoding.GetBytes(packagedText);
    }
}

/// <summary>Reads dkms.conf from disk without trusting what the path leads to.</summary>
public static class DkmsConfFile
{
    private const string NeedsDkmsConf = "a DKMS module tree needs a dkms.conf at its top";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the file <paramref name="path"/> leads to (a symlink is followed: its target's content is read). What the
    /// path names is checked before it is opened, so a FIFO, socket or device is refused instead of blocking or
    /// streaming for ever, and at most <see cref="DkmsConfLimits.MaxFileBytes"/> bytes are read even if the file grows.
    /// </summary>
    /// <param name="display">The path to name in messages.</param>
    /// <exception cref="DkmsPackException">Missing, not a regular file, too large, UTF-16, or unreadable (exit 2).</exception>
    public static DkmsConfFileContent Read(string path, string display)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(display);

        FileStatus status = Status(path, display);
        string? notAFile = status.Kind switch
        {
            FileKind.Missing => FileStatusReader.Lstat(path).Kind == FileKind.Symlink ? "is a symbolic link to nothing" : "not found",
            FileKind.Directory => "is a directory, not a file",
            FileKind.Fifo => "is a FIFO (named pipe), not a regular file",
            FileKind.Socket => "is a socket, not a regular file",
            FileKind.CharacterDevice or FileKind.BlockDevice => "is a device, not a regular file",
            _ => null,
        };
        if (notAFile is not null)
        {
            throw Error(display, notAFile, NeedsDkmsConf);
        }

        if (status.Size > DkmsConfLimits.MaxFileBytes)
        {
            throw TooLarge(display, status.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes");
        }

        byte[] bytes = ReadBounded(path, display);
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            throw Error(display, "is UTF-16 text (it starts with a UTF-16 byte order mark): bash reads it byte by byte and finds no assignment it can use", "save dkms.conf as UTF-8 without a byte order mark");
        }

        try
        {
            return new DkmsConfFileContent(bytes, s_strictUtf8.GetString(bytes), s_strictUtf8);
        }
        catch (DecoderFallbackException)
        {
            return new DkmsConfFileContent(bytes, Encoding.Latin1.GetString(bytes), Encoding.Latin1);
        }
    }

    private static FileStatus Status(string path, string display)
    {
        try
        {
            return FileStatusReader.Stat(path);
        }
        catch (IOException e)
        {
            throw Unreadable(display, e);
        }
    }

    // The size from stat may be stale: read one byte more than the limit to notice a file that has grown since.
    private static byte[] ReadBounded(string path, string display)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
            var buffer = new byte[DkmsConfLimits.MaxFileBytes + 1];
            int length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            if (length > DkmsConfLimits.MaxFileBytes)
            {
                throw TooLarge(display, "more than that");
            }

            return buffer[..length];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Unreadable(display, e);
        }
    }

    private static DkmsPackException TooLarge(string display, string size) => Error(
        display,
        $"is larger than {DkmsConfLimits.MaxFileBytes / 1024} KiB ({size}); a real dkms.conf has a few kilobytes",
        "check that this is the module's dkms.conf");

    private static DkmsPackException Unreadable(string display, Exception e) => e is UnauthorizedAccessException
        ? Error(display, "cannot be read (permission denied)", "make it readable, e.g. chmod a+r", e)
        : Error(display, $"cannot be read ({e.Message.TrimEnd('.')})", "check the file and its directory", e);

    private static DkmsPackException Error(string display, string message, string remedy, Exception? inner = null) =>
        DkmsPackException.Input(display, message, remedy, DiagnosticCode.DkmsConf, inner);
}
