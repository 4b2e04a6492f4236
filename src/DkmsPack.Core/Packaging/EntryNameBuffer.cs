namespace DkmsPack.Packaging;

/// <summary>
/// Composes an entry's name in an archive or header (<c>./PATH</c>, <c>./PATH/</c>, <c>/PATH</c>) in one buffer reused
/// for every entry: the writers encode the name at once, so a string per entry would only be garbage, and on a tree
/// of many thousands of files that garbage is most of what the process allocates.
/// </summary>
internal sealed class EntryNameBuffer
{
    private char[] _buffer = new char[256];

    /// <summary><paramref name="prefix"/>, <paramref name="path"/> and <paramref name="suffix"/>; valid until the next call.</summary>
    public ReadOnlySpan<char> Of(string prefix, string path, string suffix = "")
    {
        int length = checked(prefix.Length + path.Length + suffix.Length);
        if (length > _buffer.Length)
        {
            _buffer = new char[Math.Max(length, 2 * _buffer.Length)];
        }

        Span<char> name = _buffer.AsSpan(0, length);
        prefix.CopyTo(name);
        path.CopyTo(name[prefix.Length..]);
        suffix.CopyTo(name[(prefix.Length + path.Length)..]);
        return name;
    }
}
