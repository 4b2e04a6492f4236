using System.Text;

namespace DkmsPack.Licensing;

/// <summary>The two SPDX operators that join licence expressions. WITH is part of a <see cref="SpdxLicense"/>.</summary>
public enum SpdxOperator
{
    And,
    Or,
}

/// <summary>
/// A parsed SPDX licence expression (SPDX specification, annex "SPDX license expressions":
/// https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/), normalised: identifiers in their canonical
/// case, the deprecated GNU identifiers replaced (GPL-2.0 by GPL-2.0-only, GPL-2.0+ by GPL-2.0-or-later), nested
/// operators of one kind flattened (A AND (B AND C) is A AND B AND C) and repeated operands dropped. Its
/// <see cref="ToString"/> is the canonical text, with brackets wherever an operand mixes operators.
/// </summary>
public abstract class SpdxExpression : IEquatable<SpdxExpression>
{
    /// <summary>Longer expressions are refused: licence tags are one line, and the parser must stay cheap on hostile input.</summary>
    public const int MaxLength = 4096;

    /// <summary>Deeper bracket nesting is refused (the parser recurses once per level).</summary>
    public const int MaxDepth = 32;

    /// <summary>The licences (with their exceptions) the expression names, each once, in order of appearance.</summary>
    public abstract IEnumerable<SpdxLicense> Licenses { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="SpdxSyntaxException"/> with a readable message when it is not an expression.</summary>
    public static SpdxExpression Parse(string text) => SpdxParser.Parse(text);

    /// <summary>As <see cref="Parse"/>, giving the error message instead of throwing.</summary>
    public static bool TryParse(string text, out SpdxExpression? expression, out string? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (SpdxSyntaxException ex)
        {
            expression = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>All of <paramref name="parts"/> at once (their AND), flattened and without repeats; the part itself when there is one.</summary>
    public static SpdxExpression AllOf(IEnumerable<SpdxExpression> parts) => Combine(SpdxOperator.And, parts);

    /// <summary>A choice of <paramref name="parts"/> (their OR), flattened and without repeats.</summary>
    public static SpdxExpression AnyOf(IEnumerable<SpdxExpression> parts) => Combine(SpdxOperator.Or, parts);

    public bool Equals(SpdxExpression? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SpdxExpression);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The canonical SPDX text.</summary>
    public abstract override string ToString();

    internal static SpdxExpression Combine(SpdxOperator op, IEnumerable<SpdxExpression> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var operands = new List<SpdxExpression>();
        foreach (SpdxExpression part in parts)
        {
            IEnumerable<SpdxExpression> flattened = part is SpdxCompound compound && compound.Operator == op ? compound.Operands : [part];
            foreach (SpdxExpression operand in flattened)
            {
                if (!operands.Contains(operand))
                {
                    operands.Add(operand);
                }
            }
        }

        return operands.Count switch
        {
            0 => throw new ArgumentException("an expression needs at least one operand", nameof(parts)),
            1 => operands[0],
            _ => new SpdxCompound(op, operands),
        };
    }
}

/// <summary>One licence: an identifier or LicenseRef, "+" for "or any later version" (non-GNU licences only), and an optional WITH exception.</summary>
public sealed class SpdxLicense : SpdxExpression
{
    internal SpdxLicense(string id, bool orLater, string? exception, bool isKnown)
    {
        Id = id;
        OrLater = orLater;
        Exception = exception;
        IsKnown = isKnown;
    }

    /// <summary>The identifier: canonical when known (GPL-2.0-only), as written otherwise (LicenseRef-x, unknown ids).</summary>
    public string Id { get; }

    /// <summary>"+" after a non-GNU identifier (MPL-1.1+); GNU identifiers carry it in their name (-or-later).</summary>
    public bool OrLater { get; }

    /// <summary>The exception after WITH, or null.</summary>
    public string? Exception { get; }

    /// <summary>False for an identifier that is neither on dkmspack's list nor a LicenseRef: possibly misspelt.</summary>
    public bool IsKnown { get; }

    public override IEnumerable<SpdxLicense> Licenses => [this];

    public override string ToString() =>
        Id + (OrLater ? "+" : string.Empty) + (Exception is null ? string.Empty : " WITH " + Exception);
}

/// <summary>Two or more operands joined by one operator; never holds an operand with the same operator (those are flattened).</summary>
public sealed class SpdxCompound : SpdxExpression
{
    private readonly string _text;

    internal SpdxCompound(SpdxOperator op, IReadOnlyList<SpdxExpression> operands)
    {
        Operator = op;
        Operands = operands;
        string separator = op == SpdxOperator.And ? " AND " : " OR ";
        var text = new StringBuilder();
        foreach (SpdxExpression operand in operands)
        {
            if (text.Length > 0)
            {
                text.Append(separator);
            }

            // An operand with the other operator is bracketed even where precedence would not need it (A OR
            // (B AND C)): readers of RPM headers and copyright files should not have to know SPDX's precedence.
            text.Append(operand is SpdxCompound ? $"({operand})" : operand.ToString());
        }

        _text = text.ToString();
    }

    public SpdxOperator Operator { get; }

    public IReadOnlyList<SpdxExpression> Operands { get; }

    public override IEnumerable<SpdxLicense> Licenses => Operands.SelectMany(o => o.Licenses).Distinct();

    public override string ToString() => _text;
}

/// <summary>The text is not an SPDX licence expression; the message says where and why, for a one-line diagnostic.</summary>
public sealed class SpdxSyntaxException : Exception
{
    public SpdxSyntaxException()
    {
    }

    public SpdxSyntaxException(string message)
        : base(message)
    {
    }

    public SpdxSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
