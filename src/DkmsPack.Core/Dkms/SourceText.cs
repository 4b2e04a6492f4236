namespace DkmsPack.Dkms;

/// <summary>A half-open range <c>[Start, End)</c> of the original dkms.conf text.</summary>
internal readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);
}

/// <summary>The original text of dkms.conf with a line index, so spans can be reported as 1-based line numbers.</summary>
internal sealed class SourceText
{
    private readonly List<int> _lineStarts = [0];

    public SourceText(string text)
    {
        Text = text;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    /// <summary>The 1-based line holding <paramref name="offset"/> (a CRLF file counts its lines by LF, like bash).</summary>
    public int LineAt(int offset)
    {
        int index = _lineStarts.BinarySearch(offset);
        return index >= 0 ? index + 1 : ~index;
    }

    public string Slice(TextSpan span) => Text.Substring(span.Start, span.Length);
}
