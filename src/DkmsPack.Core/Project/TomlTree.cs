using Tomlyn.Syntax;

namespace DkmsPack.Project;

/// <summary>
/// A TOML document as plain nodes that remember their 1-based line, built from Tomlyn's syntax tree (which keeps
/// every span) rather than its object model (which keeps none), so that every finding can name its line.
/// </summary>
internal abstract class TomlNode(int line)
{
    public int Line { get; } = line;

    /// <summary>The TOML type's name as messages say it.</summary>
    public abstract string TypeName { get; }
}

/// <summary>A table: its keys in document order, each with the line of its key.</summary>
internal sealed class TomlTableNode(int line) : TomlNode(line)
{
    private readonly List<(string Key, TomlNode Value)> _items = [];

    public override string TypeName => "a table";

    public IReadOnlyList<(string Key, TomlNode Value)> Items => _items;

    public TomlNode? this[string key] => _items.FirstOrDefault(i => i.Key == key).Value;

    public void Add(string key, TomlNode value) => _items.Add((key, value));
}

internal sealed class TomlArrayNode(int line, List<TomlNode> items, bool ofTables) : TomlNode(line)
{
    public IReadOnlyList<TomlNode> Items => items;

    /// <summary>Appends a table of a [[name]] array.</summary>
    public void Add(TomlNode item) => items.Add(item);

    /// <summary>Written as [[name]] tables, not as an inline array.</summary>
    public bool OfTables { get; } = ofTables;

    public override string TypeName => OfTables ? "an array of tables" : "an array";
}

/// <summary>A string, integer, float, boolean or date-time.</summary>
internal sealed class TomlScalarNode(int line, object value) : TomlNode(line)
{
    public object Value { get; } = value;

    public override string TypeName => Value switch
    {
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        _ => "a date-time",
    };
}

/// <summary>Builds <see cref="TomlTableNode"/>s from Tomlyn's syntax tree.</summary>
internal static class TomlTree
{
    /// <summary>Parses <paramref name="text"/>; syntax errors come back as (line, message) pairs and no tree.</summary>
    public static TomlTableNode? Parse(string text, string sourceName, List<(int Line, string Message)> errors)
    {
        DocumentSyntax document = Tomlyn.Parsing.SyntaxParser.Parse(text, sourceName, validate: true);
        if (document.HasErrors)
        {
            foreach (DiagnosticMessage message in document.Diagnostics)
            {
                if (message.Kind == DiagnosticMessageKind.Error)
                {
                    errors.Add((message.Span.Start.Line + 1, message.Message));
                }
            }

            return null;
        }

        var root = new TomlTableNode(1);
        foreach (KeyValueSyntax item in document.KeyValues)
        {
            AddKeyValue(root, item);
        }

        foreach (TableSyntaxBase table in document.Tables)
        {
            List<string> path = KeyPath(table.Name!);
            int line = table.Span.Start.Line + 1;
            TomlTableNode parent = Descend(root, path.Take(path.Count - 1), line);
            TomlTableNode target;
            if (table is TableArraySyntax)
            {
                // [[name]]: a new table appended to the array called name (the validator has checked the types).
                target = new TomlTableNode(line);
                if (parent[path[^1]] is TomlArrayNode existing)
                {
                    existing.Add(target);
                }
                else
                {
                    parent.Add(path[^1], new TomlArrayNode(line, [target], ofTables: true));
                }
            }
            else
            {
                target = Descend(parent, [path[^1]], line);
            }

            foreach (KeyValueSyntax item in table.Items)
            {
                AddKeyValue(target, item);
            }
        }

        return root;
    }

    private static void AddKeyValue(TomlTableNode table, KeyValueSyntax item)
    {
        List<string> path = KeyPath(item.Key!);
        int line = item.Span.Start.Line + 1;
        TomlTableNode parent = Descend(table, path.Take(path.Count - 1), line);
        parent.Add(path[^1], Value(item.Value!));
    }

    /// <summary>The table at <paramref name="path"/> below <paramref name="table"/>, created where missing; [[x]] descends into its last table.</summary>
    private static TomlTableNode Descend(TomlTableNode table, IEnumerable<string> path, int line)
    {
        TomlTableNode current = table;
        foreach (string key in path)
        {
            switch (current[key])
            {
                case TomlTableNode child:
                    current = child;
                    break;
                case TomlArrayNode { OfTables: true } array:
                    current = (TomlTableNode)array.Items[^1];
                    break;
                default:
                    var created = new TomlTableNode(line);
                    current.Add(key, created);
                    current = created;
                    break;
            }
        }

        return current;
    }

    private static TomlNode Value(ValueSyntax value)
    {
        int line = value.Span.Start.Line + 1;
        switch (value)
        {
            case StringValueSyntax s:
                return new TomlScalarNode(line, s.Value ?? string.Empty);
            case IntegerValueSyntax i:
                return new TomlScalarNode(line, i.Value);
            case FloatValueSyntax f:
                return new TomlScalarNode(line, f.Value);
            case BooleanValueSyntax b:
                return new TomlScalarNode(line, b.Value);
            case DateTimeValueSyntax d:
                return new TomlScalarNode(line, d.Value);
            case ArraySyntax array:
                return new TomlArrayNode(line, [.. array.Items.Select(i => Value(i.Value!))], ofTables: false);
            case InlineTableSyntax inline:
                var table = new TomlTableNode(line);
                foreach (InlineTableItemSyntax item in inline.Items)
                {
                    AddKeyValue(table, item.KeyValue!);
                }

                return table;
            default:
                throw new InvalidOperationException($"unexpected TOML value {value.GetType().Name}");
        }
    }

    private static List<string> KeyPath(KeySyntax key)
    {
        var path = new List<string> { KeyName(key.Key!) };
        path.AddRange(key.DotKeys.Select(d => KeyName(d.Key!)));
        return path;
    }

    private static string KeyName(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => key.ToString()!,
    };
}
