using System.Globalization;
using System.Text;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Arch;

/// <summary>
/// The package's .MTREE (ALPM-MTREE(5), mtree(5)): what <c>pacman -Qkk</c> checks installed files against. One
/// <c>/set</c> line gives the common keywords, as makepkg's <c>bsdtar --format=mtree --options=use-set,…</c> does;
/// each entry then names its own type, mode, time, size and digests. Paths are <c>./PATH</c> with mtree's octal
/// escapes (<c>\040</c> for a space) for anything outside printable ASCII and for '\' and '#'.
/// </summary>
internal sealed class ArchMtree
{
    private const string Header = "#mtree\n/set type=file uid=0 gid=0 mode=644\n";
    private readonly StringBuilder _text = new(Header);

    public void AddFile(string path, int permissions, long time, long size, string md5, string sha256)
    {
        Line(path, time, permissions == UnixPermissions.Regular ? null : permissions, type: null)
            .Append(CultureInfo.InvariantCulture, $" size={size} md5digest={md5} sha256digest={sha256}\n");
    }

    public void AddDirectory(string path, int permissions, long time) =>
        Line(path, time, permissions, "dir").Append('\n');

    public void AddSymlink(string path, long time, string target) =>
        Line(path, time, UnixPermissions.Symlink, "link").Append(" link=").Append(Escape(target)).Append('\n');

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(_text.ToString());

    private StringBuilder Line(string path, long time, int? permissions, string? type)
    {
        _text.Append("./").Append(Escape(path)).Append(CultureInfo.InvariantCulture, $" time={time}.0");
        if (permissions is { } mode)
        {
            _text.Append(" mode=").Append(Convert.ToString(mode, 8));
        }

        if (type is not null)
        {
            _text.Append(" type=").Append(type);
        }

        return _text;
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (b is > 0x20 and < 0x7F && b != '\\' && b != '#')
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
            }
        }

        return escaped.ToString();
    }
}
