using System.Globalization;
using GenoFlow.Core;
using GenoFlow.Core.Storage;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Tables;

/// <summary>
/// Reads a Parquet <see cref="SampleTable"/> (rules there). Columns of double, float, int or long hold numbers (null
/// and NaN are missing); a string column is read cell by cell as a text file's would be, so a table converted from
/// TSV to Parquet reads the same. The sample id column must hold strings.
/// </summary>
internal static class ParquetTableReader
{
    /// <summary>Most rows a sample table may hold: 16 times the largest biobanks' participant counts.</summary>
    public const long MaxRows = 1 << 24;

    /// <summary>Most cells (rows x columns) read into memory: 1 GiB of doubles, as a sample shard.</summary>
    public const long MaxCells = 1L << 27;

    public static SampleTable Read(string path) => Task.Run(() => ReadAsync(path)).GetAwaiter().GetResult();

    private static async Task<SampleTable> ReadAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        ParquetStructure.Check(stream, path, MaxRows);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new GenoFlowFormatException(path, $"not a readable Parquet file ({e.Message})", inner: e);
        }
        await using (reader)
        {
            DataField[] fields = reader.Schema.GetDataFields();
            foreach (DataField field in fields)
            {
                if (field.IsArray || !(IsText(field) || IsNumeric(field)))
                {
                    throw new GenoFlowFormatException(path, $"column {field.Name} holds {(field.IsArray ? "lists" : field.ClrType.Name)}; a sample table holds numbers and strings");
                }
            }
            int idField = TableHeader.IdColumn([.. fields.Select(f => f.Name)]);
            if (!IsText(fields[idField]))
            {
                throw new GenoFlowFormatException(path, $"the sample id column {fields[idField].Name} holds {fields[idField].ClrType.Name}, not strings");
            }
            long total = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                total += group.RowCount;
            }
            if (total == 0)
            {
                throw new GenoFlowFormatException(path, "no rows");
            }
            if (total * fields.Length > MaxCells)
            {
                throw new GenoFlowFormatException(path, $"{total} rows of {fields.Length} columns are more than the {MaxCells} cells a sample table may hold");
            }
            int rows = checked((int)total);
            // Per field: the cells as strings (string columns) or as numbers, NaN for null.
            var strings = fields.Select(f => IsText(f) ? new string?[rows] : null).ToArray();
            var numbers = fields.Select(f => IsText(f) ? null : new double[rows]).ToArray();
            int at = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                for (int f = 0; f < fields.Length; f++)
                {
                    if (strings[f] is { } text)
                    {
                        await group.ReadAsync(fields[f], text.AsMemory(at, count));
                    }
                    else
                    {
                        await ReadNumbers(group, fields[f], numbers[f]!.AsMemory(at, count));
                    }
                }
                at += count;
            }
            string?[] ids = strings[idField]!;
            int empty = Array.FindIndex(ids, string.IsNullOrEmpty);
            if (empty >= 0)
            {
                throw new GenoFlowFormatException(path, $"row {empty + 1}, column {fields[idField].Name}: the sample id is empty");
            }
            TableColumn[] columns = [.. Enumerable.Range(0, fields.Length).Where(f => f != idField).Select(f => Column(fields[f].Name, f + 1, strings[f], numbers[f]))];
            return new SampleTable(path, SampleTable.Origin.Parquet, fields[idField].Name, idField + 1, ids!, null, columns);
        }
    }

    /// <summary>A column of numbers when every cell is one or missing; otherwise the cells as text (an infinite number as "Infinity").</summary>
    private static TableColumn Column(string name, int field, string?[]? strings, double[]? numbers)
    {
        if (numbers is not null)
        {
            return numbers.Any(double.IsInfinity)
                ? new TableColumn(name, field, null, [.. numbers.Select(v => double.IsNaN(v) ? "" : v.ToString(CultureInfo.InvariantCulture))])
                : new TableColumn(name, field, numbers, null);
        }
        var parsed = new double[strings!.Length];
        for (int r = 0; r < strings.Length; r++)
        {
            if (!TableCell.TryNumber(strings[r], out parsed[r]))
            {
                return new TableColumn(name, field, null, [.. strings.Select(s => s ?? "")]);
            }
        }
        return new TableColumn(name, field, parsed, null);
    }

    // Parquet.Net gives a string column's type as string or as ReadOnlyMemory<char>, depending on how it was declared.
    private static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static bool IsNumeric(DataField field) => field.ClrType == typeof(double) || field.ClrType == typeof(float) || field.ClrType == typeof(int) || field.ClrType == typeof(long);

    private static Task ReadNumbers(ParquetRowGroupReader group, DataField field, Memory<double> into) =>
        field.ClrType == typeof(double) ? Read<double>(group, field, into, v => v)
        : field.ClrType == typeof(float) ? Read<float>(group, field, into, v => v)
        : field.ClrType == typeof(int) ? Read<int>(group, field, into, v => v)
        : Read<long>(group, field, into, v => v);

    private static async Task Read<T>(ParquetRowGroupReader group, DataField field, Memory<double> into, Func<T, double> convert) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[into.Length];
            await group.ReadAsync<T>(field, nullable.AsMemory());
            for (int i = 0; i < nullable.Length; i++)
            {
                into.Span[i] = nullable[i] is { } value ? convert(value) : double.NaN;
            }
            return;
        }
        var values = new T[into.Length];
        await group.ReadAsync<T>(field, values.AsMemory());
        for (int i = 0; i < values.Length; i++)
        {
            into.Span[i] = convert(values[i]);
        }
    }
}
