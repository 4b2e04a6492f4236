using System.Globalization;
using System.Text;

namespace DkmsPack.Packaging.Arch;

/// <summary>One path of an Arch package's .MTREE, with the keywords pacman -Qkk compares (ALPM-MTREE(5)); null: not given.</summary>
internal sealed record ArchMtreeEntry(string Path, string Type, int? Mode, long? Time, long? Size, string? Md5, string? Sha256, string? Link, long? Uid, long? Gid);

/// <summary>
/// Reads the text of a .MTREE as makepkg writes it (<c>bsdtar --format=mtree --options=!all,use-set,type,uid,gid,
/// mode,time,size,md5,sha256,link</c>) and as <see cref="ArchMtree"/> does: a <c>#mtree</c> signature line, then
/// <c>/set</c> and <c>/unset</c> lines giving defaults and one line per path, <c>./PATH keyword=value…</c>, with
/// mtree(5)'s backslash escapes in names and a backslash before a newline continuing a line
/// (https://man.archlinux.org/man/mtree.5). Only that full-path form is read, which is the one pacman's packages use.
/// </summary>
internal static class ArchMtreeReader
{
    /// <summary>Reads every entry, or throws <see cref="InvalidDataException"/> naming the line that is not mtree.</summary>
    public static IReadOnlyList<ArchMtreeEntry> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<ArchMtreeEntry>();
        int lineNumber = 0;
        var pending = new StringBuilder();
        int startLine = 1;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            if (pending.Length == 0)
            {
                startLine = lineNumber;
            }

            if (raw.EndsWith('\\'))
            {
                pending.Append(raw, 0, raw.Length - 1).Append(' ');
                continue;
            }

            string line = pending.Append(raw).ToString().Trim(' ', '\t', '\r');
            pending.Clear();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "/set":
                    foreach (string word in words.Skip(1))
                    {
                        (string key, string value) = Keyword(word, startLine);
                        defaults[key] = value;
                    }

                    break;
                case "/unset":
                    foreach (string word in words.Skip(1))
                    {
                        if (word == "all")
                        {
                            defaults.Clear();
                        }
                        else
                        {
                            defaults.Remove(word);
                        }
                    }

                    break;
                default:
                    entries.Add(Entry(words, defaults, startLine));
                    break;
            }
        }

        return entries;
    }

    private static ArchMtreeEntry Entry(string[] words, Dictionary<string, string> defaults, int line)
    {
        string name = Unescape(words[0], line);
        if (name != "." && !name.StartsWith("./", StringComparison.Ordinal))
        {
            throw Error(line, $"names \"{words[0]}\", not a path starting with ./");
        }

        var keywords = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (string word in words.Skip(1))
        {
            (string key, string value) = Keyword(word, line);
            keywords[key] = value;
        }

        string? Get(string key) => keywords.TryGetValue(key, out string? value) ? value : null;
        long? Number(string key, int numberBase = 10)
        {
            string? value = Get(key);
            if (value is null)
            {
                return null;
            }

            try
            {
                return Convert.ToInt64(value, numberBase);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw Error(line, $"has {key}={value}, not a number");
            }
        }

        // time=SECONDS.NANOSECONDS: the seconds are what a tar header holds.
        string? time = Get("time");
        long? seconds = null;
        if (time is not null)
        {
            int dot = time.IndexOf('.', StringComparison.Ordinal);
            seconds = long.TryParse(dot < 0 ? time : time[..dot], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed)
                ? parsed
                : throw Error(line, $"has time={time}, not a time");
        }

        string? link = Get("link");
        return new ArchMtreeEntry(
            name == "." ? string.Empty : name[2..].TrimEnd('/'),
            Get("type") ?? "file",
            (int?)Number("mode", 8),
            seconds,
            Number("size"),
            Get("md5digest") ?? Get("md5"),
            Get("sha256digest") ?? Get("sha256"),
            link is null ? null : Unescape(link, line),
            Number("uid"),
            Number("gid"));
    }

    private static (string Key, string Value) Keyword(string word, int line)
    {
        int equals = word.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (word[..equals], word[(equals + 1)..]) : throw Error(line, $"has \"{word}\", not keyword=value");
    }

    /// <summary>mtree(5)'s escapes: <c>\NNN</c> (three octal digits, one byte) and the C escapes; the bytes are UTF-8.</summary>
    private static string Unescape(string text, int line)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != '\\')
            {
                bytes.Add(utf8[i]);
                continue;
            }

            if (i + 3 < utf8.Length && IsOctal(utf8[i + 1]) && IsOctal(utf8[i + 2]) && IsOctal(utf8[i + 3]))
            {
                int value = ((utf8[i + 1] - '0') << 6) | ((utf8[i + 2] - '0') << 3) | (utf8[i + 3] - '0');
                bytes.Add(value <= byte.MaxValue ? (byte)value : throw Error(line, $"has the escape \\{(char)utf8[i + 1]}{(char)utf8[i + 2]}{(char)utf8[i + 3]}, more than one byte"));
                i += 3;
                continue;
            }

            byte? escaped = i + 1 < utf8.Length ? utf8[i + 1] switch
            {
                (byte)'\\' => (byte)'\\',
                (byte)'s' => (byte)' ',
                (byte)'t' => (byte)'\t',
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'#' => (byte)'#',
                _ => null,
            } : null;
            bytes.Add(escaped ?? throw Error(line, "has a backslash that is not an mtree escape"));
            i++;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';

    private static InvalidDataException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"its .MTREE line {line} {message}"));
}
