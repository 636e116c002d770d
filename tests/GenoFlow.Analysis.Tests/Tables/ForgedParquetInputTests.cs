using System.IO.Hashing;
using System.Text.Json;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;
using GenoFlow.Tests.Shared;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Tests.Tables;

/// <summary>
/// Parquet a user passes (a sample table for --features/--input), sample shard files a worker loads from a job's
/// scratch area (checksums recomputed, as a forger would) and PCA models, with forged footers: each is refused before
/// Parquet.Net reads it, in one line naming the file and the byte offset, without a large allocation.
/// </summary>
public sealed class ForgedParquetInputTests : IDisposable
{
    private const long Huge = 1L << 40;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_user_table_claiming_a_huge_value_count_is_refused_before_allocating()
    {
        string path = await WriteTable();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, ParquetForgery.WithValue(bytes, ParquetForgery.ColumnValuesAt(bytes, "PC1"), Huge));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GenoFlowFormatException>(() => SampleTable.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Matches($@"^{Escape(path)}, byte offset \d+: damaged Parquet structure: a column chunk claims {Huge} values, where this file may hold {ParquetTableReader.MaxRows} rows$", error.Message);
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task A_truncated_user_table_is_refused_naming_the_column_chunk()
    {
        string path = await WriteTable();
        byte[] truncated = ParquetForgery.WithTruncatedLastChunk(File.ReadAllBytes(path), 5);
        File.WriteAllBytes(path, truncated);

        var error = Assert.Throws<GenoFlowFormatException>(() => SampleTable.Read(path));

        Assert.Matches($@"^{Escape(path)}, byte offset \d+: damaged Parquet structure: a column chunk claims \d+ bytes from byte \d+, but its pages must lie between byte 4 and the footer at {ParquetForgery.MetadataStart(truncated)}$", error.Message);
    }

    [Fact]
    public async Task A_shard_file_claiming_a_huge_value_count_is_refused_before_allocating()
    {
        SampleShardSet written = SampleTable.Read(await WriteTable()).WriteShards(null, _temp.File("shards"), 20);
        SampleShardFile shard = written.Manifest.Shards[0];
        string file = Path.Join(written.Path, shard.File);
        byte[] bytes = File.ReadAllBytes(file);
        byte[] forged = ParquetForgery.WithValue(bytes, ParquetForgery.ColumnValuesAt(bytes, SampleShardSetWriter.SampleIdColumn), Huge);
        File.WriteAllBytes(file, forged);
        SampleShardManifest resealed = written.Manifest with
        {
            Shards = [shard with { Bytes = forged.Length, Xxh3 = SampleShardSetWriter.Hex(XxHash3.HashToUInt64(forged)) }, .. written.Manifest.Shards.Skip(1)],
        };
        File.WriteAllText(Path.Join(written.Path, SampleShardSet.ManifestFile), JsonSerializer.Serialize(resealed, SampleShardManifest.Json));
        SampleShardSet opened = SampleShardSet.Open(written.Path);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GenoFlowFormatException>(() => opened.LoadShard(0, new TileCache(1 << 20)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Matches($@"^{Escape(file)}, byte offset \d+: damaged Parquet structure: a column chunk claims {Huge} values, where this file may hold {shard.Rows} rows$", error.Message);
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task A_pca_model_claiming_a_huge_value_count_is_refused_before_allocating()
    {
        string dir = _temp.File("pca");
        Directory.CreateDirectory(dir);
        string path = Path.Join(dir, PcaOutput.LoadingsFile);
        await WriteLoadings(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, ParquetForgery.WithValue(bytes, ParquetForgery.ColumnValuesAt(bytes, "PC1"), Huge));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GenoFlowFormatException>(() => Projection.Model.Load(dir));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Matches($@"^{Escape(path)}, byte offset \d+: damaged Parquet structure: a column chunk claims {Huge} values, where this file may hold {Projection.Model.MaxModelVariants} rows$", error.Message);
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    /// <summary>A table of 50 samples, an id and two numeric columns, as another tool would write it.</summary>
    private async Task<string> WriteTable()
    {
        string path = _temp.File("table.parquet");
        var id = new DataField<string>("sample_id");
        var pc1 = new DataField<double>("PC1");
        var pc2 = new DataField<double>("PC2");
        await using var stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, pc1, pc2), stream);
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        await group.WriteAsync(id, Enumerable.Range(0, 50).Select(i => $"s{i}").ToArray());
        await group.WriteAsync<double>(pc1, Enumerable.Range(0, 50).Select(i => i * 0.5).ToArray());
        await group.WriteAsync<double>(pc2, Enumerable.Range(0, 50).Select(i => -i * 0.25).ToArray());
        return path;
    }

    /// <summary>A model of three variants and one component, in the layout <see cref="PcaOutput"/> writes.</summary>
    private static async Task WriteLoadings(string path)
    {
        DataField[] fields = PcaOutput.LoadingsSchema(1).GetDataFields();
        await using var stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(PcaOutput.LoadingsSchema(1), stream);
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        foreach (DataField field in fields)
        {
            await (field.ClrType == typeof(double) ? group.WriteAsync<double>(field, new[] { 0.1, 0.2, 0.3 })
                : field.ClrType == typeof(long) ? group.WriteAsync<long>(field, new long[] { 10, 20, 30 })
                : group.WriteAsync(field, new[] { "1", "1", "2" }));
        }
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
