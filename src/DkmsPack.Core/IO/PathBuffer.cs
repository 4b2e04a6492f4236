namespace DkmsPack.IO;

/// <summary>
/// Composes a path in one buffer reused from entry to entry: an entry's name in an archive or header (<c>./PATH</c>,
/// <c>/PATH</c>), or a scanned file's place on disk. Its user encodes or passes the path at once, so a string per
/// entry would only be garbage, and on a tree of many thousands of files that garbage is most of what the process
/// allocates (the GC's first budget is sized from the CPU cache, tens of megabytes, so it is rarely collected).
/// </summary>
internal sealed class PathBuffer
{
    private char[] _buffer = new char[256];

    /// <summary><paramref name="prefix"/>, <paramref name="path"/> and <paramref name="suffix"/>; valid until the next call.</summary>
    public ReadOnlySpan<char> Of(ReadOnlySpan<char> prefix, ReadOnlySpan<char> path, ReadOnlySpan<char> suffix = default)
    {
        int length = checked(prefix.Length + path.Length + suffix.Length);
        if (length > _buffer.Length)
        {
            _buffer = new char[Math.Max(length, 2 * _buffer.Length)];
        }

        Span<char> composed = _buffer.AsSpan(0, length);
        prefix.CopyTo(composed);
        path.CopyTo(composed[prefix.Length..]);
        suffix.CopyTo(composed[(prefix.Length + path.Length)..]);
        return composed;
    }
}
