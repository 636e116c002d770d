using System.Text;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Tests.Tables;

public sealed class SampleTableTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SampleTable Read(string text, string name = "table.tsv")
    {
        string path = _temp.File(name);
        File.WriteAllText(path, text);
        return SampleTable.Read(path);
    }

    private GenoFlowFormatException Fails(string text) => Assert.Throws<GenoFlowFormatException>(() => Read(text));

    private static void At(GenoFlowFormatException error, long line, int? column, string problem)
    {
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains("table.tsv", error.Message, StringComparison.Ordinal);
    }

    private static double[] ShardValues(SampleShardSet set, int shard) =>
        new SampleShardCache(1 << 20, new TileCache(1 << 20)).Get(ShardSetRef.Of(set), shard).Values.ToArray();

    [Fact]
    public void A_tab_separated_table_keeps_empty_fields_reads_CRLF_and_skips_empty_lines()
    {
        SampleTable table = Read("sample_id\tpopulation\tPC1\tPC2\r\na\tp1\t1.5\t-2\r\nb\tp2\t3e2\t\r\n\r\nc\tp 1\t-0.25\t7\r\n");

        Assert.Equal("sample_id", table.IdColumn);
        Assert.Equal(["population", "PC1", "PC2"], table.Columns);
        Assert.Equal(["a", "b", "c"], table.SampleIds);
        Assert.False(table.IsNumeric(0));
        Assert.Equal("p 1", table.Text(2, 0));
        Assert.Equal(300, table.Number(1, 1, "PC"));
        Assert.True(double.IsNaN(table.Number(1, 2, "PC")));
        Assert.True(table.TryGetRow("c", out int row));
        Assert.Equal(2, row);
        At(table.Error(2, 2, "too large"), 5, 4, "too large");
    }

    [Fact]
    public void A_header_without_tabs_makes_runs_of_spaces_and_tabs_separate_fields()
    {
        SampleTable table = Read("FID  IID   age trait\n  f1 a 30 1.5 \n\n   \nf2\tb  NA  .\n");

        Assert.Equal("IID", table.IdColumn);
        Assert.Equal(["FID", "age", "trait"], table.Columns);
        Assert.Equal(["a", "b"], table.SampleIds);
        Assert.Equal(30, table.Number(0, 1, "covariate"));
        Assert.True(double.IsNaN(table.Number(1, 2, "target")));
        At(table.Error(1, 2, "odd"), 5, 4, "odd");
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        string path = _temp.File("table.tsv");
        File.WriteAllBytes(path, [.. "\uFEFF"u8, .. "sample_id\tx\na\t1\n"u8]);
        SampleTable table = SampleTable.Read(path);
        Assert.Equal("sample_id", table.IdColumn);
        Assert.Equal(["x"], table.Columns);
        Assert.Equal(path, table.Source);
    }

    [Theory]
    [InlineData("FID\tIID\tsample_id\tx", "sample_id", new[] { "FID", "IID", "x" })]
    [InlineData("FID\tIID\tx", "IID", new[] { "FID", "x" })]
    [InlineData("id\tIIDs\tx", "id", new[] { "IIDs", "x" })]
    public void The_id_column_is_sample_id_else_IID_else_the_first(string header, string id, string[] columns)
    {
        SampleTable table = Read($"{header}\n{string.Join('\t', header.Split('\t').Select((_, i) => $"v{i}"))}\n");
        Assert.Equal(id, table.IdColumn);
        Assert.Equal(columns, table.Columns);
    }

    [Fact]
    public void Empty_NA_na_NaN_nan_and_dot_are_missing_and_anything_else_not_a_finite_number_is_text()
    {
        SampleTable table = Read("sample_id\tx\ty\nr1\t\t1\nr2\tNA\t2\nr3\tna\tNAN\nr4\tNaN\t4\nr5\tnan\tinf\nr6\t.\t6\nr7\t-1e-3\tInfinity\n");

        Assert.True(table.IsNumeric(0));
        Assert.All(Enumerable.Range(0, 6), r => Assert.True(double.IsNaN(table.Number(r, 0, "x"))));
        Assert.Equal(-1e-3, table.Number(6, 0, "x"));
        Assert.False(table.IsNumeric(1));
        Assert.Equal(["1", "2", "NAN", "4", "inf", "6", "Infinity"], Enumerable.Range(0, 7).Select(r => table.Text(r, 1)));
    }

    [Fact]
    public void A_text_column_asked_as_a_number_names_its_first_cell_that_is_not_a_number()
    {
        SampleTable table = Read("sample_id\tage\tpopulation\na\t30\tEUR\nb\tNA\tAFR\nc\t41\t12\n");
        // Asking about a row whose own cell is a number still fails: the column is text.
        At(Assert.Throws<GenoFlowFormatException>(() => table.Number(2, 1, "covariate")), 2, 3, "covariate column 'population' must be numeric; found 'EUR'");

        SampleTable late = Read("sample_id\tage\na\t30\nb\tNA\n\nc\tforty\n");
        At(Assert.Throws<GenoFlowFormatException>(() => late.Number(0, 0, "covariate")), 5, 2, "covariate column 'age' must be numeric; found 'forty'");
    }

    [Fact]
    public void A_sample_id_on_two_lines_is_refused_naming_both()
    {
        At(Fails("x\tsample_id\n1\ta\n2\tb\n\n3\ta\n"), 5, 2, "sample 'a' appears twice (line 2 and line 5)");
        At(Fails("sample_id x\n a 1\n\t\n  a 2\n"), 4, 1, "sample 'a' appears twice (line 2 and line 4)");
    }

    [Fact]
    public void Rows_with_the_wrong_number_of_fields_and_empty_ids_are_refused_with_their_line()
    {
        At(Fails("sample_id\tx\ty\na\t1\t2\nb\t1\n"), 3, null, "2 fields; the header has 3");
        At(Fails("sample_id\tx\ty\na\t1\t2\t\n"), 2, null, "4 fields; the header has 3");
        At(Fails("sample_id x y\na 1 2\nb 1 2 3\n"), 3, null, "4 fields; the header has 3");
        At(Fails("x\tsample_id\n1\ta\n2\t\n"), 3, 2, "the sample id (sample_id) is empty");
    }

    [Fact]
    public void Bad_headers_and_empty_tables_are_refused()
    {
        At(Fails("sample_id\tx\tx\na\t1\t2\n"), 1, 3, "column name 'x' appears twice (columns 2 and 3)");
        At(Fails("\nsample_id\tx\n"), 1, null, "empty first line; expected a header row");
        At(Fails(""), 1, null, "empty file");
        Assert.Equal("no rows after the header", Fails("sample_id\tx\n\n").Problem);
    }

    [Fact]
    public void Blocks_of_a_large_file_join_in_order_and_a_late_text_cell_keeps_every_cell_as_written()
    {
        // About 6 MB: more than one block of lines. The only text cell is near the end, so the column's earlier cells
        // ("1.50" and the like) come from the second reading, exactly as written.
        const int rows = 250_000;
        var text = new StringBuilder("sample_id\tvalue\tlabel\n");
        for (int i = 0; i < rows; i++)
        {
            text.Append('s').Append(i).Append('\t').Append(i).Append(".25\t").Append(i == rows - 10 ? "late" : $"{i % 3}.50").Append('\n');
        }
        SampleTable table = Read(text.ToString());

        Assert.Equal(rows, table.RowCount);
        Assert.Equal("s199999", table.SampleIds[199_999]);
        Assert.Equal(199_999.25, table.Number(199_999, 0, "value"));
        Assert.Equal("1.50", table.Text(1, 1));
        Assert.Equal("late", table.Text(rows - 10, 1));
        At(Assert.Throws<GenoFlowFormatException>(() => table.Number(0, 1, "label")), rows - 10 + 2, 3, "found 'late'");
    }

    [Fact]
    public void Columns_are_found_by_name_with_an_error_listing_them()
    {
        SampleTable table = Read("sample_id\tage\tsex\na\t1\t2\n");
        Assert.Equal(1, table.ColumnIndex("sex", "covariate"));
        At(Assert.Throws<GenoFlowFormatException>(() => table.ColumnIndex("bmi", "covariate")), 1, null, "no covariate column 'bmi' (columns: age, sex)");
        At(Assert.Throws<GenoFlowFormatException>(() => table.ColumnIndex("sample_id", "target")), 1, null, "'sample_id' is the sample id column, not a target column");
    }

    [Fact]
    public void Shards_hold_the_PC_columns_by_default_in_shards_of_consecutive_rows()
    {
        SampleTable table = Read("sample_id\tpopulation\tage\tPC1\tPC2\na\tp1\t30\t1.5\t-2\nb\tp2\t40\t3e2\t0\nc\tp1\t50\t-0.25\t7\n");
        SampleShardSet set = table.WriteShards(null, _temp.File("shards"), 2);

        Assert.Equal(["PC1", "PC2"], set.Columns);
        Assert.Equal(2, set.ShardCount);
        Assert.Equal([1.5, -2, 300, 0], ShardValues(set, 0));
        Assert.Equal([-0.25, 7], ShardValues(set, 1));
    }

    [Fact]
    public void Shards_hold_named_columns_in_the_order_given_else_every_numeric_column()
    {
        SampleTable table = Read("x\tsample_id\tpopulation\ty\n1\ts1\tEUR\t2\n");
        Assert.Equal([2.0, 1], ShardValues(table.WriteShards(["y", "x"], _temp.File("named"), 10), 0));
        SampleShardSet numeric = table.WriteShards(null, _temp.File("numeric"), 10);
        Assert.Equal(["x", "y"], numeric.Columns);

        At(Assert.Throws<GenoFlowFormatException>(() => table.WriteShards(["y", "y"], _temp.File("twice"), 10)), 1, null, "a feature column is named twice");
        At(Assert.Throws<GenoFlowFormatException>(() => Read("sample_id\tpopulation\na\tEUR\n").WriteShards(null, _temp.File("none"), 10)), 1, null,
            "no numeric column besides the sample id column sample_id");
    }

    [Fact]
    public void A_missing_or_text_feature_fails_naming_line_and_column_and_leaves_no_shard_set()
    {
        SampleTable table = Read("sample_id\tPC1\tPC2\tpopulation\na\t1\t2\tEUR\nb\t3\tNA\tAFR\n");
        At(Assert.Throws<GenoFlowFormatException>(() => table.WriteShards(null, _temp.File("shards"), 1)), 3, 3,
            "feature column 'PC2' has no value here; every feature needs a number");
        At(Assert.Throws<GenoFlowFormatException>(() => table.WriteShards(["PC1", "population"], _temp.File("shards"), 1)), 2, 4,
            "feature column 'population' must be numeric; found 'EUR'");
        Assert.Equal([_temp.File("table.tsv")], Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void A_table_built_in_memory_writes_shards_and_names_row_sample_and_column_in_errors()
    {
        SampleTable scores = SampleTable.FromColumns("PCA scores of cohort", ["a", "b", "c"], ["PC1", "PC2"], [[1, 2, 3], [4, double.NaN, 6]]);

        Assert.Equal(["PC1"], scores.WriteShards(["PC1"], _temp.File("shards"), 2).Columns);
        var error = Assert.Throws<GenoFlowFormatException>(() => scores.WriteShards(null, _temp.File("both"), 2));
        Assert.Equal("PCA scores of cohort: row 2 (sample b), column PC2: feature column 'PC2' has no value here; every feature needs a number", error.Message);
        Assert.True(scores.TryGetRow("c", out int row) && row == 2);
        Assert.Throws<ArgumentException>(() => SampleTable.FromColumns("x", ["a", "a"], ["PC1"], [[1, 2]]));
        Assert.Throws<ArgumentException>(() => SampleTable.FromColumns("x", ["a", "b"], ["PC1"], [[1]]));
    }

    private async Task<string> WriteParquet(params (DataField Field, Array Values)[] columns)
    {
        string path = _temp.File("table.parquet");
        await using var stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream);
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        foreach (var (field, values) in columns)
        {
            await (values switch
            {
                string?[] strings => group.WriteAsync(field, strings!),
                double[] doubles => group.WriteAsync<double>(field, doubles),
                double?[] doubles => group.WriteAsync<double>(field, doubles),
                float?[] floats => group.WriteAsync<float>(field, floats),
                int[] ints => group.WriteAsync<int>(field, ints),
                _ => throw new ArgumentException(values.GetType().Name),
            });
        }
        return path;
    }

    [Fact]
    public async Task A_parquet_table_reads_like_its_tsv_with_rows_named_in_errors()
    {
        string path = await WriteParquet(
            (new DataField<string>("sample_id"), new string?[] { "a", "b", "c" }),
            (new DataField<double>("PC1"), new[] { 1.0, 2, 3 }),
            (new DataField<float?>("PC2"), new float?[] { 0.5f, null, 4 }),
            (new DataField<int>("age"), new[] { 30, 40, 50 }),
            (new DataField<string>("height"), new string?[] { "1.5", "NA", null }),
            (new DataField<string>("population"), new string?[] { "EUR", "AFR", "EUR" }));
        SampleTable table = SampleTable.Read(path);

        Assert.Equal(["PC1", "PC2", "age", "height", "population"], table.Columns);
        Assert.True(double.IsNaN(table.Number(1, 1, "PC")));
        Assert.Equal(40, table.Number(1, 2, "covariate"));
        Assert.Equal(1.5, table.Number(0, 3, "covariate"));
        Assert.True(double.IsNaN(table.Number(2, 3, "covariate")));
        Assert.Equal("AFR", table.Text(1, 4));
        Assert.Equal([30.0, 1, 40, 2, 50, 3], ShardValues(table.WriteShards(["age", "PC1"], _temp.File("shards"), 10), 0));

        var missing = Assert.Throws<GenoFlowFormatException>(() => table.WriteShards(null, _temp.File("pcs"), 10));
        Assert.Equal($"{path}: row 2, column PC2: feature column 'PC2' has no value here; every feature needs a number", missing.Message);
        var text = Assert.Throws<GenoFlowFormatException>(() => table.Number(0, 4, "covariate"));
        Assert.Equal($"{path}: row 1, column population: covariate column 'population' must be numeric; found 'EUR'", text.Message);
    }

    [Fact]
    public async Task A_parquet_table_refuses_duplicate_and_empty_ids_naming_rows()
    {
        string duplicate = await WriteParquet((new DataField<double>("x"), new[] { 1.0, 2, 3 }), (new DataField<string>("IID"), new string?[] { "a", "b", "a" }));
        Assert.Contains("row 3, column IID: sample 'a' appears twice (row 1 and row 3)", Assert.Throws<GenoFlowFormatException>(() => SampleTable.Read(duplicate)).Message, StringComparison.Ordinal);

        File.Delete(duplicate);
        string empty = await WriteParquet((new DataField<string>("sample_id"), new string?[] { "a", "" }), (new DataField<double?>("x"), new double?[] { 1, 2 }));
        Assert.Contains("row 2, column sample_id: the sample id is empty", Assert.Throws<GenoFlowFormatException>(() => SampleTable.Read(empty)).Message, StringComparison.Ordinal);
    }
}
