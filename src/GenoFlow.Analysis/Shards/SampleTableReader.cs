using System.Globalization;
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

    private static SampleShardSet WriteText(string table, IReadOnlyList<string>? requested, string shardSetPath, int rowsPerShard)
    {
        using var reader = new StreamReader(table, new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 20 });
        string? headerLine = reader.ReadLine();
        if (headerLine is null)
        {
            throw new GenoFlowFormatException(table, "empty file; expected a header row with sample_id and feature columns", line: 1);
        }
        string[] header = headerLine.TrimEnd('\r').Split('\t');
        int[] chosen = Choose(table, header, requested, _ => true);
        int idColumn = Array.IndexOf(header, SampleIdColumn);
        // Position in the row → feature index (or -1), so each line is scanned once.
        var featureOf = new int[header.Length];
        Array.Fill(featureOf, -1);
        for (int f = 0; f < chosen.Length; f++)
        {
            featureOf[chosen[f]] = f;
        }
        using SampleShardSetWriter writer = SampleShardSetWriter.Create(shardSetPath, [.. chosen.Select(i => header[i])], rowsPerShard);
        var values = new double[chosen.Length];
        long lineNumber = 1;
        long rows = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            ReadOnlySpan<char> rest = line.AsSpan().TrimEnd('\r');
            if (rest.IsEmpty)
            {
                continue;
            }
            string? id = null;
            int field = 0;
            while (true)
            {
                int tab = rest.IndexOf('\t');
                ReadOnlySpan<char> cell = tab < 0 ? rest : rest[..tab];
                if (field >= header.Length)
                {
                    throw new GenoFlowFormatException(table, $"more than the header's {header.Length} fields", lineNumber, field + 1);
                }
                if (field == idColumn)
                {
                    id = cell.IsEmpty ? throw new GenoFlowFormatException(table, $"{SampleIdColumn} is empty", lineNumber, field + 1) : cell.ToString();
                }
                else if (featureOf[field] >= 0)
                {
                    values[featureOf[field]] = Parse(table, cell, header[field], lineNumber, field + 1);
                }
                field++;
                if (tab < 0)
                {
                    break;
                }
                rest = rest[(tab + 1)..];
            }
            if (field != header.Length)
            {
                throw new GenoFlowFormatException(table, $"{field} fields, the header has {header.Length}", lineNumber);
            }
            writer.Add(id!, -1, values);
            rows++;
        }
        if (rows == 0)
        {
            throw new GenoFlowFormatException(table, "no rows after the header");
        }
        return writer.Commit();
    }

    private static double Parse(string file, ReadOnlySpan<char> cell, string column, long line, int position)
    {
        if (cell.IsEmpty)
        {
            throw new GenoFlowFormatException(file, $"column {column} is empty; every feature needs a number", line, position);
        }
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new GenoFlowFormatException(file, $"column {column}: '{cell}' is not a number", line, position);
        }
        if (!double.IsFinite(value))
        {
            throw new GenoFlowFormatException(file, $"column {column}: '{cell}' is not a finite number", line, position);
        }
        return value;
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
