using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Tests.KMeans;

public sealed class SampleTableReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SampleShardSet Read(string text, IReadOnlyList<string>? columns = null, int rowsPerShard = 2)
    {
        string path = _temp.File("table.tsv");
        File.WriteAllText(path, text);
        return SampleTableReader.Write(path, columns, _temp.File("shards"), rowsPerShard);
    }

    private GenoFlowFormatException Fails(string text, IReadOnlyList<string>? columns = null)
    {
        var error = Assert.Throws<GenoFlowFormatException>(() => Read(text, columns));
        Assert.False(Directory.Exists(_temp.File("shards")), "a failed read must leave no shard set");
        Assert.Empty(Directory.GetDirectories(_temp.Path));
        return error;
    }

    [Fact]
    public void A_scores_table_gives_its_PC_columns_in_shards_of_consecutive_rows()
    {
        SampleShardSet set = Read("sample_id\tpopulation\tPC1\tPC2\r\na\tp1\t1.5\t-2\r\nb\tp2\t3e2\t0\r\n\r\nc\tp1\t-0.25\t7\r\n");

        Assert.Equal(["PC1", "PC2"], set.Columns);
        Assert.Equal(2, set.ShardCount);
        var cache = new SampleShardCache(1 << 20, new TileCache(1 << 20));
        SampleShard first = cache.Get(ShardSetRef.Of(set), 0);
        SampleShard second = cache.Get(ShardSetRef.Of(set), 1);
        Assert.Equal(["a", "b"], first.SampleIds);
        Assert.Equal([1.5, -2, 300, 0], first.Values.ToArray());
        Assert.Equal(["c"], second.SampleIds);
        Assert.Equal([-0.25, 7], second.Values.ToArray());
    }

    [Fact]
    public void Named_columns_are_used_in_the_order_given()
    {
        SampleShardSet set = Read("x\tsample_id\ty\n1\ts1\t2\n", ["y", "x"]);
        Assert.Equal(["y", "x"], set.Columns);
        Assert.Equal([2.0, 1], new SampleShardCache(1 << 20, new TileCache(1 << 20)).Get(ShardSetRef.Of(set), 0).Values.ToArray());
        Assert.Equal(1, Assert.Throws<GenoFlowFormatException>(() => Read("x\tsample_id\ty\nq\ts1\t2\n", ["y", "x"])).Column);
    }

    [Fact]
    public void Bad_tables_are_refused_naming_file_line_and_column()
    {
        const string header = "sample_id\tPC1\tPC2\n";
        var unknown = Fails(header + "a\t1\t2\n", ["PC1", "PC9"]);
        Assert.Contains("no column 'PC9'", unknown.Message, StringComparison.Ordinal);

        var text = Fails(header + "a\t1\t2\nb\t1\tabc\n");
        Assert.Equal((3L, 3), (text.Line!.Value, text.Column!.Value));
        Assert.Contains("table.tsv", text.Message, StringComparison.Ordinal);
        Assert.Contains("column PC2: 'abc' is not a number", text.Message, StringComparison.Ordinal);

        Assert.Contains("is empty", Fails(header + "a\t\t2\n").Message, StringComparison.Ordinal);
        Assert.Contains("'NaN' is not a finite number", Fails(header + "a\tNaN\t2\n").Message, StringComparison.Ordinal);
        Assert.Contains("'inf' is not a number", Fails(header + "a\t1\tinf\n").Message, StringComparison.Ordinal);
        Assert.Contains("2 fields, the header has 3", Fails(header + "a\t1\n").Message, StringComparison.Ordinal);
        Assert.Contains("no sample_id column", Fails("id\tPC1\na\t1\n").Message, StringComparison.Ordinal);
        Assert.Contains("no rows", Fails(header).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parquet_table_reads_like_its_tsv()
    {
        string path = _temp.File("table.parquet");
        var id = new DataField<string>("sample_id");
        var pc1 = new DataField<double>("PC1");
        var pc2 = new DataField<float?>("PC2");
        var age = new DataField<int>("age");
        using (var stream = File.Create(path))
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, pc1, pc2, age), stream);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync(id, new[] { "a", "b", "c" });
            await group.WriteAsync<double>(pc1, new[] { 1.0, 2, 3 });
            await group.WriteAsync<float>(pc2, new float?[] { 0.5f, -1, 4 });
            await group.WriteAsync<int>(age, new[] { 30, 40, 50 });
        }

        SampleShardSet set = SampleTableReader.Write(path, null, _temp.File("shards"), 10);
        var cache = new SampleShardCache(1 << 20, new TileCache(1 << 20));
        Assert.Equal(["PC1", "PC2"], set.Columns);
        Assert.Equal([1.0, 0.5, 2, -1, 3, 4], cache.Get(ShardSetRef.Of(set), 0).Values.ToArray());

        SampleShardSet withAge = SampleTableReader.Write(path, ["age", "PC1"], _temp.File("shards2"), 10);
        Assert.Equal([30.0, 1, 40, 2, 50, 3], cache.Get(ShardSetRef.Of(withAge), 0).Values.ToArray());
    }

    [Fact]
    public async Task A_null_in_a_parquet_table_names_the_row_and_column()
    {
        string path = _temp.File("table.parquet");
        var id = new DataField<string>("sample_id");
        var pc1 = new DataField<double?>("PC1");
        using (var stream = File.Create(path))
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, pc1), stream);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync(id, new[] { "a", "b" });
            await group.WriteAsync<double>(pc1, new double?[] { 1, null });
        }
        var error = Assert.Throws<GenoFlowFormatException>(() => SampleTableReader.Write(path, null, _temp.File("shards"), 10));
        Assert.Contains("row 2: column PC1 is empty", error.Message, StringComparison.Ordinal);
    }
}
