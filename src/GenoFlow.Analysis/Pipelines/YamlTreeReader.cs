using System.Text.RegularExpressions;
using GenoFlow.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s from YamlDotNet's parser events, keeping every node's mark.
/// Aliases resolve to their anchored node; a repeated key in a mapping is an error at its second occurrence.
/// </summary>
internal sealed partial class YamlTreeReader
{
    /// <summary>
    /// A pipeline file nests four levels deep (stages, a stage, a list); the limit keeps a hostile or broken file such
    /// as "[[[[..." from overflowing the stack, which would kill the process instead of printing an error.
    /// </summary>
    internal const int MaxDepth = 32;

    private readonly Parser _parser;
    private readonly string _file;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    /// <summary>The flow collections ({ } and [ ]) open at the moment, innermost last.</summary>
    private readonly Stack<(SourceMark Mark, char Open)> _openFlows = new();
    private int _depth;

    private YamlTreeReader(string text, string file)
    {
        _parser = new Parser(new StringReader(text));
        _file = file;
    }

    /// <returns>The document's root, or null when the text holds no document at all.</returns>
    public static YamlNode? Read(string text, string file) => new YamlTreeReader(text, file).ReadDocument();

    private YamlNode? ReadDocument()
    {
        try
        {
            _parser.Consume<StreamStart>();
            if (_parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }
            _parser.Consume<DocumentStart>();
            YamlNode root = ReadNode();
            _parser.Consume<DocumentEnd>();
            if (_parser.Current is DocumentStart second)
            {
                throw At(MarkOf(second.Start), "a pipeline file holds one YAML document; a second one starts here");
            }
            return root;
        }
        catch (YamlException e)
        {
            throw new GenoFlowFormatException(_file, $"not valid YAML: {Explain(e)}", e.Start.Line, (int)e.Start.Column, inner: e);
        }
        catch (InvalidOperationException e) when (e.Source == "YamlDotNet" && _openFlows.Count > 0)
        {
            // YamlDotNet 18.1's scanner fails this way, without a mark, on a flow collection left open before a new key
            // ("cohort: { dataset: x" then a line "stages:"); the open bracket is where the fix goes.
            (SourceMark mark, char open) = _openFlows.Peek();
            throw At(mark, $"not valid YAML: this '{open}' is never closed with '{(open == '{' ? '}' : ']')}'", e);
        }
    }

    private YamlNode ReadNode()
    {
        ParsingEvent current = _parser.Current ?? throw new YamlException("unexpected end of the file");
        YamlNode node;
        AnchorName anchor;
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                return _anchors.TryGetValue(alias.Value.Value, out YamlNode? target)
                    ? target
                    : throw At(MarkOf(alias.Start), $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it");
            case Scalar scalar:
                _parser.MoveNext();
                anchor = scalar.Anchor;
                // A tag (!!str, !custom) makes the scalar something other than a plain YAML value: treat it as text.
                node = new YamlScalar(MarkOf(scalar.Start), scalar.Value, scalar.Style is ScalarStyle.Plain && scalar.Tag.IsEmpty);
                break;
            case SequenceStart start:
                anchor = start.Anchor;
                Enter(start);
                node = ReadSequence(start);
                _depth--;
                break;
            case MappingStart start:
                anchor = start.Anchor;
                Enter(start);
                node = ReadMapping(start);
                _depth--;
                break;
            default:
                throw At(MarkOf(current.Start), $"unexpected {current.GetType().Name}");
        }
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
        return node;
    }

    private void Enter(ParsingEvent start)
    {
        if (++_depth > MaxDepth)
        {
            throw At(MarkOf(start.Start), $"lists and mappings nest more than {MaxDepth} levels deep here; a pipeline file needs four");
        }
    }

    private YamlSequence ReadSequence(SequenceStart start)
    {
        bool flow = start.Style == SequenceStyle.Flow;
        if (flow)
        {
            _openFlows.Push((MarkOf(start.Start), '['));
        }
        _parser.MoveNext();
        var items = new List<YamlNode>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode());
        }
        if (flow)
        {
            _openFlows.Pop();
        }
        return new YamlSequence(MarkOf(start.Start), items);
    }

    private YamlMapping ReadMapping(MappingStart start)
    {
        bool flow = start.Style == MappingStyle.Flow;
        if (flow)
        {
            _openFlows.Push((MarkOf(start.Start), '{'));
        }
        _parser.MoveNext();
        var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            YamlNode keyNode = ReadNode();
            if (keyNode is not YamlScalar key || key.IsNull)
            {
                throw At(keyNode.Mark, $"a key must be a name; found {keyNode.Describe()}");
            }
            if (seen.TryGetValue(key.Value, out SourceMark first))
            {
                throw At(key.Mark, $"duplicate key '{key.Value}' (first given at {first}); give each key once");
            }
            seen.Add(key.Value, key.Mark);
            entries.Add(new(key, ReadNode()));
        }
        if (flow)
        {
            _openFlows.Pop();
        }
        return new YamlMapping(MarkOf(start.Start), entries);
    }

    private static SourceMark MarkOf(Mark mark) => new((int)mark.Line, (int)mark.Column);

    private GenoFlowFormatException At(SourceMark mark, string problem, Exception? inner = null) => new(_file, problem, mark.Line, mark.Column, inner: inner);

    /// <summary>YamlDotNet prefixes its messages with "(Line: l, Col: c, Idx: i) - (...): "; the location is ours to print.</summary>
    private static string Explain(YamlException e)
    {
        string message = MarkPrefix().Replace(e.Message, "");
        return message.Length == 0 ? "syntax error" : char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
