using System.Runtime.CompilerServices;
using System.Text;
using GenoFlow.Core;

namespace GenoFlow.Analysis.Tables;

/// <summary>
/// Reads a text <see cref="SampleTable"/> (rules there). The file is cut into blocks of whole lines that are parsed in
/// parallel and joined in file order, which keeps a 1,000,000 x 20 table at about a second. Cells are parsed as
/// numbers; when a column turns out to hold text, the file is read a second time keeping that column's cells as
/// strings, so the large tables (all numbers) are read once and no block has to keep every cell's text on the chance
/// that a later block finds text in its column.
/// </summary>
internal static class TextTableReader
{
    /// <summary>Bytes read per block of lines.</summary>
    private const int BlockBytes = 4 << 20;

    public static SampleTable Read(string path)
    {
        Parsed parsed = ReadPass(path, keepText: null);
        if (parsed.SawText.Any(t => t))
        {
            parsed = ReadPass(path, parsed.SawText);
        }
        Layout layout = parsed.Layout;
        var columns = new TableColumn[layout.Columns];
        for (int c = 0; c < columns.Length; c++)
        {
            int field = layout.FieldOf(c);
            columns[c] = new TableColumn(layout.Names[field], field + 1, parsed.Numbers[c], parsed.Texts[c]);
        }
        return new SampleTable(path, SampleTable.Origin.Text, layout.Names[layout.IdField], layout.IdField + 1, parsed.Ids, parsed.Lines, columns);
    }

    /// <summary>The rows of the whole file; a column in <paramref name="keepText"/> keeps its cells' text, the others are parsed as numbers.</summary>
    private sealed record Parsed(Layout Layout, string[] Ids, long[] Lines, double[]?[] Numbers, string[]?[] Texts, bool[] SawText);

    private static Parsed ReadPass(string path, bool[]? keepText)
    {
        Layout? layout = null;
        var running = new Queue<Task<Block>>();
        var blocks = new List<Block>();
        long nextLine = 1;
        foreach (ReadOnlyMemory<byte> chunk in LineBlocks(path))
        {
            ReadOnlyMemory<byte> lines = chunk;
            if (layout is null)
            {
                layout = Layout.FromHeader(path, chunk.Span, keepText, out int headerBytes);
                lines = chunk[headerBytes..];
                nextLine = 2;
            }
            Layout parser = layout;
            long firstLine = nextLine;
            nextLine += lines.Span.Count((byte)'\n');
            running.Enqueue(Task.Run(() => parser.Parse(lines, firstLine)));
            // Blocks are joined in file order, so the first error in the file is the one reported.
            while (running.Count > Environment.ProcessorCount + 1)
            {
                blocks.Add(running.Dequeue().GetAwaiter().GetResult());
            }
        }
        if (layout is null)
        {
            throw new GenoFlowFormatException(path, "empty file; expected a header row naming the columns", line: 1);
        }
        while (running.Count > 0)
        {
            blocks.Add(running.Dequeue().GetAwaiter().GetResult());
        }
        return Join(path, layout, blocks);
    }

    private static Parsed Join(string path, Layout layout, List<Block> blocks)
    {
        int rows = blocks.Sum(b => b.Rows);
        if (rows == 0)
        {
            throw new GenoFlowFormatException(path, "no rows after the header");
        }
        var ids = new string[rows];
        var lines = new long[rows];
        int at = 0;
        foreach (Block block in blocks)
        {
            Array.Copy(block.Ids, 0, ids, at, block.Rows);
            Array.Copy(block.Lines, 0, lines, at, block.Rows);
            at += block.Rows;
        }
        var numbers = new double[]?[layout.Columns];
        var texts = new string[]?[layout.Columns];
        var sawText = new bool[layout.Columns];
        for (int c = 0; c < layout.Columns; c++)
        {
            sawText[c] = blocks.Any(b => b.SawText[c]);
            if (layout.KeepsText(c))
            {
                texts[c] = Concatenate(blocks, rows, b => b.Texts[c]!);
            }
            else
            {
                numbers[c] = Concatenate(blocks, rows, b => b.Numbers[c]!);
            }
        }
        return new Parsed(layout, ids, lines, numbers, texts, sawText);
    }

    private static T[] Concatenate<T>(List<Block> blocks, int rows, Func<Block, T[]> column)
    {
        var all = new T[rows];
        int at = 0;
        foreach (Block block in blocks)
        {
            Array.Copy(column(block), 0, all, at, block.Rows);
            at += block.Rows;
        }
        return all;
    }

    /// <summary>The file in blocks of whole lines (the last may lack its newline); a line longer than a block grows it.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> LineBlocks(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[BlockBytes];
        int filled = Fill(stream, buffer, 0);
        while (filled > 0)
        {
            bool end = filled < buffer.Length;
            int last = end ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (last == 0)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
                filled = Fill(stream, buffer, filled);
                continue;
            }
            // Each block gets its own buffer: the previous one is still being parsed.
            yield return buffer.AsMemory(0, last);
            int carry = filled - last;
            var next = new byte[Math.Max(BlockBytes, carry * 2)];
            buffer.AsSpan(last, carry).CopyTo(next);
            buffer = next;
            filled = Fill(stream, buffer, carry);
        }
    }

    private static int Fill(FileStream stream, byte[] buffer, int from)
    {
        int filled = from;
        while (filled < buffer.Length)
        {
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    /// <summary>The rows of one block of lines, column by column.</summary>
    private sealed class Block
    {
        public Block(int capacity, Layout layout)
        {
            Ids = new string[capacity];
            Lines = new long[capacity];
            Numbers = new double[]?[layout.Columns];
            Texts = new string[]?[layout.Columns];
            SawText = new bool[layout.Columns];
            for (int c = 0; c < layout.Columns; c++)
            {
                if (layout.KeepsText(c))
                {
                    Texts[c] = new string[capacity];
                }
                else
                {
                    Numbers[c] = new double[capacity];
                }
            }
        }

        public int Rows { get; set; }

        public string[] Ids { get; }

        public long[] Lines { get; }

        public double[]?[] Numbers { get; }

        public string[]?[] Texts { get; }

        /// <summary>Per column parsed as numbers: a cell of this block is neither a number nor missing.</summary>
        public bool[] SawText { get; }
    }

    /// <summary>The header's fields and separator, and which columns keep their text; parses blocks of lines.</summary>
    private sealed class Layout
    {
        private readonly string _file;
        private readonly bool _tabs;
        private readonly int[] _columnOf;
        private readonly bool[] _keepText;

        private Layout(string file, string[] names, bool tabs, bool[]? keepText)
        {
            _file = file;
            Names = names;
            _tabs = tabs;
            IdField = TableHeader.IdColumn(names);
            _columnOf = new int[names.Length];
            int column = 0;
            for (int field = 0; field < names.Length; field++)
            {
                _columnOf[field] = field == IdField ? -1 : column++;
            }
            _keepText = keepText ?? new bool[Columns];
        }

        public string[] Names { get; }

        public int IdField { get; }

        public int Columns => Names.Length - 1;

        public bool KeepsText(int column) => _keepText[column];

        public int FieldOf(int column) => column < IdField ? column : column + 1;

        public static Layout FromHeader(string file, ReadOnlySpan<byte> text, bool[]? keepText, out int headerBytes)
        {
            int newline = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> header = newline < 0 ? text : text[..newline];
            headerBytes = newline < 0 ? text.Length : newline + 1;
            if (header.StartsWith("\uFEFF"u8))
            {
                header = header[3..];
            }
            string line = Encoding.UTF8.GetString(header).TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                throw new GenoFlowFormatException(file, "empty first line; expected a header row naming the columns", line: 1);
            }
            bool tabs = line.Contains('\t', StringComparison.Ordinal);
            string[] names = tabs ? line.Split('\t') : line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < names.Length; i++)
            {
                int first = Array.IndexOf(names, names[i]);
                if (first < i)
                {
                    throw new GenoFlowFormatException(file, $"column name '{names[i]}' appears twice (columns {first + 1} and {i + 1})", line: 1, column: i + 1);
                }
            }
            return new Layout(file, names, tabs, keepText);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Block Parse(ReadOnlyMemory<byte> lines, long firstLine)
        {
            ReadOnlySpan<byte> remaining = lines.Span;
            var block = new Block(remaining.Count((byte)'\n') + 1, this);
            for (long lineNumber = firstLine; !remaining.IsEmpty; lineNumber++)
            {
                int newline = remaining.IndexOf((byte)'\n');
                ReadOnlySpan<byte> line = newline < 0 ? remaining : remaining[..newline];
                remaining = newline < 0 ? [] : remaining[(newline + 1)..];
                if (line.EndsWith((byte)'\r'))
                {
                    line = line[..^1];
                }
                if (!_tabs)
                {
                    line = line.Trim(Whitespace);
                }
                if (line.IsEmpty)
                {
                    continue;
                }
                int field = 0;
                var cells = new Cells(line, _tabs);
                while (cells.MoveNext(out ReadOnlySpan<byte> cell))
                {
                    if (field < Names.Length)
                    {
                        Store(block, field, cell, lineNumber);
                    }
                    field++;
                }
                if (field != Names.Length)
                {
                    throw new GenoFlowFormatException(_file, $"{field} fields; the header has {Names.Length}", lineNumber);
                }
                block.Lines[block.Rows++] = lineNumber;
            }
            return block;
        }

        private void Store(Block block, int field, ReadOnlySpan<byte> cell, long lineNumber)
        {
            int row = block.Rows;
            int column = _columnOf[field];
            if (column < 0)
            {
                block.Ids[row] = cell.IsEmpty
                    ? throw new GenoFlowFormatException(_file, $"the sample id ({Names[field]}) is empty", lineNumber, field + 1)
                    : Encoding.UTF8.GetString(cell);
            }
            else if (block.Texts[column] is { } texts)
            {
                texts[row] = Encoding.UTF8.GetString(cell);
            }
            else if (!block.SawText[column])
            {
                block.SawText[column] = !TableCell.TryNumber(cell, out block.Numbers[column]![row]);
            }
        }
    }

    private static ReadOnlySpan<byte> Whitespace => " \t"u8;

    /// <summary>The cells of a line: between tabs, or (whitespace-separated) between runs of spaces and tabs of a trimmed line.</summary>
    private ref struct Cells
    {
        private readonly bool _tabs;
        private ReadOnlySpan<byte> _rest;
        private bool _done;

        public Cells(ReadOnlySpan<byte> line, bool tabs)
        {
            _rest = line;
            _tabs = tabs;
        }

        public bool MoveNext(out ReadOnlySpan<byte> cell)
        {
            if (_done)
            {
                cell = default;
                return false;
            }
            int end = _tabs ? _rest.IndexOf((byte)'\t') : _rest.IndexOfAny(Whitespace);
            if (end < 0)
            {
                cell = _rest;
                _done = true;
                return true;
            }
            cell = _rest[..end];
            _rest = _tabs ? _rest[(end + 1)..] : _rest[end..].TrimStart(Whitespace);
            return true;
        }
    }
}
