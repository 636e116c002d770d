using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GenoFlow.Core;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// Streams a table of samples into a <see cref="SampleShardSet"/> (memory: one shard). The table is tab-separated
/// text with a header row, or Parquet (by the <c>.parquet</c> extension); either way it needs a <c>sample_id</c>
/// column. The feature columns are those named, else every <c>PC1, PC2, …</c> column (a <c>genoflow pca</c>
/// <c>scores.tsv</c>), else every column but <c>sample_id</c>. Every value must be a finite number: an empty cell, NaN,
/// infinity or text fails naming the file, line (Parquet: row) and column.
/// </summary>
public static partial class SampleTableReader
{
    public const string SampleIdColumn = "sample_id";

    public static SampleShardSet Write(string table, IReadOnlyList<string>? columns, string shardSetPath, int rowsPerShard)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        if (!File.Exists(table))
        {
            throw new GenoFlowFormatException(table, "no such file");
        }
        return table.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? WriteParquet(table, columns, shardSetPath, rowsPerShard)
            : WriteText(table, columns, shardSetPath, rowsPerShard);
    }

    /// <summary>The feature columns of a table with <paramref name="header"/>: its position of each chosen column.</summary>
    internal static int[] Choose(string file, IReadOnlyList<string> header, IReadOnlyList<string>? requested, Func<int, bool> numeric)
    {
        if (!header.Contains(SampleIdColumn))
        {
            throw new GenoFlowFormatException(file, $"no {SampleIdColumn} column (columns: {string.Join(", ", header)})", line: 1);
        }
        if (requested is { Count: > 0 })
        {
            var positions = new List<int>();
            foreach (string name in requested)
            {
                int position = Enumerable.Range(0, header.Count).FirstOrDefault(i => header[i] == name, -1);
                if (position < 0)
                {
                    throw new GenoFlowFormatException(file, $"no column '{name}' (columns: {string.Join(", ", header)})", line: 1);
                }
                if (name == SampleIdColumn || positions.Contains(position))
                {
                    throw new GenoFlowFormatException(file, $"column '{name}' cannot be a feature twice or be the sample id", line: 1);
                }
                positions.Add(position);
            }
            return [.. positions];
        }
        int[] pcs = Enumerable.Range(0, header.Count).Where(i => PcColumn().IsMatch(header[i])).ToArray();
        if (pcs.Length > 0)
        {
            return pcs;
        }
        int[] rest = Enumerable.Range(0, header.Count).Where(i => header[i] != SampleIdColumn && numeric(i)).ToArray();
        return rest.Length > 0 ? rest : throw new GenoFlowFormatException(file, "no feature columns besides sample_id", line: 1);
    }

    /// <summary>Bytes read per block of lines; blocks are parsed in parallel and added to the shards in file order.</summary>
    private const int BlockBytes = 4 << 20;

    private static SampleShardSet WriteText(string table, IReadOnlyList<string>? requested, string shardSetPath, int rowsPerShard)
    {
        using var stream = new FileStream(table, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[BlockBytes];
        int filled = Fill(stream, buffer, 0);
        int headerEnd = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
        while (headerEnd < 0 && filled == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
            filled = Fill(stream, buffer, filled);
            headerEnd = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
        }
        if (filled == 0)
        {
            throw new GenoFlowFormatException(table, "empty file; expected a header row with sample_id and feature columns", line: 1);
        }
        int headerLength = headerEnd < 0 ? filled : headerEnd;
        ReadOnlySpan<byte> headerBytes = buffer.AsSpan(0, headerLength);
        if (headerBytes.StartsWith("\uFEFF"u8))
        {
            headerBytes = headerBytes[3..];
        }
        string[] header = Encoding.UTF8.GetString(headerBytes).TrimEnd('\r').Split('\t');
        int[] chosen = Choose(table, header, requested, _ => true);
        var layout = new TextLayout(table, header, Array.IndexOf(header, SampleIdColumn), chosen);
        using SampleShardSetWriter writer = SampleShardSetWriter.Create(shardSetPath, [.. chosen.Select(i => header[i])], rowsPerShard);
        var running = new Queue<Task<ParsedBlock>>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0;
        void Drain(int keep)
        {
            while (running.Count > keep)
            {
                ParsedBlock block = running.Dequeue().GetAwaiter().GetResult();
                for (int r = 0; r < block.Ids.Count; r++)
                {
                    RequireUnique(seen, block.Ids[r], block.Lines[r], table, "line");
                    writer.Add(block.Ids[r], -1, block.Values.AsSpan(r * chosen.Length, chosen.Length));
                }
                rows += block.Ids.Count;
            }
        }
        int offset = headerEnd < 0 ? filled : headerEnd + 1;
        long nextLine = 2;
        while (true)
        {
            bool end = filled < buffer.Length;
            int last = end ? filled : buffer.AsSpan(offset, filled - offset).LastIndexOf((byte)'\n') + offset + 1;
            if (last <= offset && !end)
            {
                // A line longer than the buffer: grow it and read on.
                Array.Resize(ref buffer, buffer.Length * 2);
                filled = Fill(stream, buffer, filled);
                continue;
            }
            byte[] block = buffer[offset..last];
            long firstLine = nextLine;
            nextLine += block.AsSpan().Count((byte)'\n');
            running.Enqueue(Task.Run(() => layout.Parse(block, firstLine)));
            Drain(Environment.ProcessorCount + 1);
            if (end)
            {
                break;
            }
            int carry = filled - last;
            var next = new byte[Math.Max(BlockBytes, carry * 2)];
            buffer.AsSpan(last, carry).CopyTo(next);
            buffer = next;
            filled = Fill(stream, buffer, carry);
            offset = 0;
        }
        Drain(0);
        if (rows == 0)
        {
            throw new GenoFlowFormatException(table, "no rows after the header");
        }
        return writer.Commit();
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

    /// <summary>A sample id may appear once: a second row for it would be clustered twice and reported ambiguously.</summary>
    private static void RequireUnique(Dictionary<string, long> seen, string id, long at, string table, string unit)
    {
        if (!seen.TryAdd(id, at))
        {
            throw new GenoFlowFormatException(table, $"{unit} {at}: sample id '{id}' appears again (first at {unit} {seen[id]}); sample ids must be unique");
        }
    }

    private sealed record ParsedBlock(List<string> Ids, List<long> Lines, double[] Values);

    /// <summary>How a text table's fields map to the sample id and the features; parses one block of whole lines.</summary>
    private sealed class TextLayout(string file, string[] header, int idColumn, int[] chosen)
    {
        private readonly int[] _featureOf = FeatureOf(header.Length, chosen);

        private static int[] FeatureOf(int fields, int[] chosen)
        {
            var featureOf = new int[fields];
            Array.Fill(featureOf, -1);
            for (int f = 0; f < chosen.Length; f++)
            {
                featureOf[chosen[f]] = f;
            }
            return featureOf;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public ParsedBlock Parse(byte[] block, long firstLine)
        {
            var ids = new List<string>();
            var lines = new List<long>();
            var values = new List<double>();
            Span<double> row = stackalloc double[chosen.Length];
            ReadOnlySpan<byte> remaining = block;
            for (long lineNumber = firstLine; !remaining.IsEmpty; lineNumber++)
            {
                int newline = remaining.IndexOf((byte)'\n');
                ReadOnlySpan<byte> line = newline < 0 ? remaining : remaining[..newline];
                remaining = newline < 0 ? [] : remaining[(newline + 1)..];
                if (line.EndsWith((byte)'\r'))
                {
                    line = line[..^1];
                }
                if (line.IsEmpty)
                {
                    continue;
                }
                string? id = null;
                int field = 0;
                while (true)
                {
                    int tab = line.IndexOf((byte)'\t');
                    ReadOnlySpan<byte> cell = tab < 0 ? line : line[..tab];
                    if (field >= header.Length)
                    {
                        throw new GenoFlowFormatException(file, $"more than the header's {header.Length} fields", lineNumber, field + 1);
                    }
                    if (field == idColumn)
                    {
                        id = cell.IsEmpty ? throw new GenoFlowFormatException(file, $"{SampleIdColumn} is empty", lineNumber, field + 1) : Encoding.UTF8.GetString(cell);
                    }
                    else if (_featureOf[field] >= 0)
                    {
                        row[_featureOf[field]] = ParseCell(cell, header[field], lineNumber, field + 1);
                    }
                    field++;
                    if (tab < 0)
                    {
                        break;
                    }
                    line = line[(tab + 1)..];
                }
                if (field != header.Length)
                {
                    throw new GenoFlowFormatException(file, $"{field} fields, the header has {header.Length}", lineNumber);
                }
                ids.Add(id!);
                lines.Add(lineNumber);
                foreach (double v in row)
                {
                    values.Add(v);
                }
            }
            return new ParsedBlock(ids, lines, [.. values]);
        }

        private double ParseCell(ReadOnlySpan<byte> cell, string column, long line, int position)
        {
            if (cell.IsEmpty)
            {
                throw new GenoFlowFormatException(file, $"column {column} is empty; every feature needs a number", line, position);
            }
            if (!FastDouble.TryParse(cell, out double value))
            {
                throw new GenoFlowFormatException(file, $"column {column}: '{Encoding.UTF8.GetString(cell)}' is not a number", line, position);
            }
            if (!double.IsFinite(value))
            {
                throw new GenoFlowFormatException(file, $"column {column}: '{Encoding.UTF8.GetString(cell)}' is not a finite number", line, position);
            }
            return value;
        }
    }

    private static SampleShardSet WriteParquet(string table, IReadOnlyList<string>? requested, string shardSetPath, int rowsPerShard)
    {
        SampleShardSet? set = null;
        Task.Run(async () =>
        {
            await using var stream = new FileStream(table, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(stream);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
            {
                throw new GenoFlowFormatException(table, $"not a readable Parquet file ({e.Message})", inner: e);
            }
            await using (reader)
            {
                DataField[] fields = reader.Schema.GetDataFields();
                string[] header = fields.Select(f => f.Name).ToArray();
                int[] chosen = Choose(table, header, requested, i => IsNumeric(fields[i]));
                DataField idField = fields[Array.IndexOf(header, SampleIdColumn)];
                if (idField.ClrType != typeof(string) && idField.ClrType != typeof(ReadOnlyMemory<char>))
                {
                    throw new GenoFlowFormatException(table, $"column {SampleIdColumn} does not hold text");
                }
                foreach (int c in chosen)
                {
                    if (!IsNumeric(fields[c]))
                    {
                        throw new GenoFlowFormatException(table, $"column {fields[c].Name} holds {fields[c].ClrType.Name}, not numbers");
                    }
                }
                using SampleShardSetWriter writer = SampleShardSetWriter.Create(shardSetPath, [.. chosen.Select(i => header[i])], rowsPerShard);
                var seen = new Dictionary<string, long>(StringComparer.Ordinal);
                long firstRow = 0;
                var row = new double[chosen.Length];
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                    int rows = checked((int)group.RowCount);
                    var ids = new string?[rows];
                    await group.ReadAsync(idField, ids.AsMemory());
                    var columns = new double[chosen.Length][];
                    for (int f = 0; f < chosen.Length; f++)
                    {
                        columns[f] = await ReadNumbers(group, fields[chosen[f]], rows, table, firstRow);
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        if (string.IsNullOrEmpty(ids[r]))
                        {
                            throw new GenoFlowFormatException(table, $"row {firstRow + r + 1}: {SampleIdColumn} is empty");
                        }
                        for (int f = 0; f < chosen.Length; f++)
                        {
                            row[f] = columns[f][r];
                        }
                        RequireUnique(seen, ids[r]!, firstRow + r + 1, table, "row");
                        writer.Add(ids[r]!, -1, row);
                    }
                    firstRow += rows;
                }
                if (firstRow == 0)
                {
                    throw new GenoFlowFormatException(table, "no rows");
                }
                set = writer.Commit();
            }
        }).GetAwaiter().GetResult();
        return set!;
    }

    private static bool IsNumeric(DataField field) => field.ClrType == typeof(double) || field.ClrType == typeof(float) || field.ClrType == typeof(int) || field.ClrType == typeof(long);

    private static async Task<double[]> ReadNumbers(ParquetRowGroupReader group, DataField field, int rows, string table, long firstRow)
    {
        double?[] values = field.ClrType == typeof(double) ? await Read<double>(group, field, rows, v => v)
            : field.ClrType == typeof(float) ? await Read<float>(group, field, rows, v => v)
            : field.ClrType == typeof(int) ? await Read<int>(group, field, rows, v => v)
            : await Read<long>(group, field, rows, v => v);
        var result = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            if (values[r] is not { } value)
            {
                throw new GenoFlowFormatException(table, $"row {firstRow + r + 1}: column {field.Name} is empty (null); every feature needs a number");
            }
            if (!double.IsFinite(value))
            {
                throw new GenoFlowFormatException(table, $"row {firstRow + r + 1}: column {field.Name}: {value.ToString(CultureInfo.InvariantCulture)} is not a finite number");
            }
            result[r] = value;
        }
        return result;
    }

    private static async Task<double?[]> Read<T>(ParquetRowGroupReader group, DataField field, int rows, Func<T, double> convert) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await group.ReadAsync<T>(field, nullable.AsMemory());
            return nullable.Select(v => v is { } x ? convert(x) : (double?)null).ToArray();
        }
        var values = new T[rows];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values.Select(v => (double?)convert(v)).ToArray();
    }

    [GeneratedRegex("^PC[0-9]+$")]
    private static partial Regex PcColumn();
}
