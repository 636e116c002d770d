using System.Text.RegularExpressions;
using GenoFlow.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s from YamlDotNet's parser events, keeping every node's mark.
/// Aliases resolve to their anchored node; a repeated key in a mapping is an error at its second occurrence.
/// </summary>
internal static partial class YamlTreeReader
{
    /// <returns>The document's root, or null when the text holds no document at all.</returns>
    public static YamlNode? Read(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }
            parser.Consume<DocumentStart>();
            YamlNode root = ReadNode(parser, anchors, file);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart second)
            {
                throw new GenoFlowFormatException(file, "a pipeline file holds one YAML document; a second one starts here", second.Start.Line, (int)second.Start.Column);
            }
            return root;
        }
        catch (YamlException e)
        {
            throw new GenoFlowFormatException(file, $"not valid YAML: {Explain(e)}", e.Start.Line, (int)e.Start.Column, inner: e);
        }
    }

    private static YamlNode ReadNode(IParser parser, Dictionary<string, YamlNode> anchors, string file)
    {
        ParsingEvent current = parser.Current ?? throw new YamlException("unexpected end of the file");
        YamlNode node;
        AnchorName anchor;
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out YamlNode? target)
                    ? target
                    : throw Error(file, alias.Start, $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it");
            case Scalar scalar:
                parser.MoveNext();
                anchor = scalar.Anchor;
                // A tag (!!str, !custom) makes the scalar something other than a plain YAML value: treat it as text.
                node = new YamlScalar(MarkOf(scalar.Start), scalar.Value, scalar.Style is ScalarStyle.Plain && scalar.Tag.IsEmpty);
                break;
            case SequenceStart start:
                parser.MoveNext();
                anchor = start.Anchor;
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors, file));
                }
                node = new YamlSequence(MarkOf(start.Start), items);
                break;
            case MappingStart start:
                parser.MoveNext();
                anchor = start.Anchor;
                node = ReadMapping(parser, anchors, file, MarkOf(start.Start));
                break;
            default:
                throw Error(file, current.Start, $"unexpected {current.GetType().Name}");
        }
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
        return node;
    }

    private static YamlMapping ReadMapping(IParser parser, Dictionary<string, YamlNode> anchors, string file, SourceMark mark)
    {
        var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            YamlNode keyNode = ReadNode(parser, anchors, file);
            if (keyNode is not YamlScalar key || key.IsNull)
            {
                throw At(file, keyNode.Mark, $"a key must be a name; found {keyNode.Describe()}");
            }
            if (seen.TryGetValue(key.Value, out SourceMark first))
            {
                throw At(file, key.Mark, $"duplicate key '{key.Value}' (first given at {first}); give each key once");
            }
            seen.Add(key.Value, key.Mark);
            entries.Add(new(key, ReadNode(parser, anchors, file)));
        }
        return new YamlMapping(mark, entries);
    }

    private static SourceMark MarkOf(Mark mark) => new((int)mark.Line, (int)mark.Column);

    private static GenoFlowFormatException Error(string file, Mark mark, string problem) => At(file, MarkOf(mark), problem);

    private static GenoFlowFormatException At(string file, SourceMark mark, string problem) => new(file, problem, mark.Line, mark.Column);

    /// <summary>YamlDotNet prefixes its messages with "(Line: l, Col: c, Idx: i) - (...): "; the location is ours to print.</summary>
    private static string Explain(YamlException e)
    {
        string message = MarkPrefix().Replace(e.Message, "");
        return message.Length == 0 ? "syntax error" : char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
