using Apache.Arrow;
using Apache.Arrow.Types;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using Parquet;

namespace GenoFlow.Core.Tests.Storage;

public sealed class DatasetRoundTripTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(13, 5, 16, new[] { 7, 3, 12 })]        // one block, sample count not a multiple of 4
    [InlineData(37, 4, 8, new[] { 9, 1, 6 })]          // five blocks, the last one partial (5 samples)
    [InlineData(1, 3, 4, new[] { 2, 5 })]              // a single sample
    [InlineData(64, 4096, 16, new[] { 50 })]           // blocks that divide the samples exactly, one region
    public void Rows_read_back_identical(int samples, int variantsPerTile, int samplesPerTile, int[] contigs)
    {
        var matrix = TestMatrix.Random(samples, contigs);
        string path = _temp.Join("ds");
        matrix.WriteTo(path, new DatasetWriteOptions(variantsPerTile, samplesPerTile, "test-release"));

        using Dataset dataset = Dataset.Open(path);
        Assert.Equal(samples, dataset.SampleCount);
        Assert.Equal(contigs.Sum(), dataset.VariantCount);
        Assert.Equal((samples + samplesPerTile - 1) / samplesPerTile, dataset.SampleBlockCount);
        Assert.Equal("test-release", dataset.Release);
        matrix.AssertEquals(dataset);
        Assert.All(dataset.Verify(), check => Assert.True(check.IsOk, check.Problem));
    }

    [Fact]
    public void Regions_are_cut_at_tile_size_and_at_every_contig_change()
    {
        var matrix = TestMatrix.Random(6, [5, 3, 1]);
        string path = _temp.Join("ds");
        matrix.WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 4));

        using Dataset dataset = Dataset.Open(path);
        Assert.Equal(
            [
                new RegionInfo(0, "1", 0, 4, 1000, 1030),
                new RegionInfo(1, "1", 4, 1, 1040, 1040),
                new RegionInfo(2, "2", 5, 3, 1000, 1020),
                new RegionInfo(3, "3", 8, 1, 1000, 1000),
            ],
            dataset.Manifest.Regions);
        Assert.Equal(4, dataset.RegionCount);
        Assert.Equal(2, dataset.SampleBlockCount);
        Assert.Equal(4 * 2 + 2, dataset.Manifest.Files.Count);
    }

    [Fact]
    public void Tile_is_an_arrow_batch_of_variant_index_and_the_blocks_packed_bytes()
    {
        var matrix = TestMatrix.Random(21, [6, 4]);
        string path = _temp.Join("ds");
        matrix.WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        using Dataset dataset = Dataset.Open(path);

        for (int region = 0; region < dataset.RegionCount; region++)
        {
            RegionInfo info = dataset.Manifest.Regions[region];
            for (int block = 0; block < dataset.SampleBlockCount; block++)
            {
                using RecordBatch batch = dataset.ReadTile(region, block);
                Assert.Equal(["variant_index", "genotypes"], batch.Schema.FieldsList.Select(f => f.Name));
                Assert.IsType<Int64Type>(batch.Schema.FieldsList[0].DataType);
                Assert.IsType<BinaryType>(batch.Schema.FieldsList[1].DataType);
                Assert.Equal(info.VariantCount, batch.Length);
                var ids = (Int64Array)batch.Column(0);
                var genotypes = (BinaryArray)batch.Column(1);
                int blockSamples = Math.Min(8, 21 - block * 8);
                for (int i = 0; i < batch.Length; i++)
                {
                    long variant = info.FirstVariant + i;
                    Assert.Equal(variant, ids.GetValue(i));
                    byte[] expected = matrix.Rows[(int)variant].AsSpan(block * 2, PackedGenotypes.RowBytes(blockSamples)).ToArray();
                    Assert.Equal(expected, genotypes.GetBytes(i).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Writing_the_same_input_twice_gives_byte_identical_datasets()
    {
        var matrix = TestMatrix.Random(30, [10, 7, 3]);
        var options = new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 12, Release: "r1");
        matrix.WriteTo(_temp.Join("a"), options);
        matrix.WriteTo(_temp.Join("b"), options);

        SortedDictionary<string, byte[]> a = DirectoryContents.Read(_temp.Join("a"));
        SortedDictionary<string, byte[]> b = DirectoryContents.Read(_temp.Join("b"));
        Assert.Equal(a.Keys, b.Keys);
        Assert.Contains("manifest.json", a.Keys);
        Assert.Contains("g1/tiles/r000004_b0002.parquet", a.Keys);
        foreach (string file in a.Keys)
        {
            Assert.True(a[file].AsSpan().SequenceEqual(b[file]), $"{file} differs between the two writes");
        }
    }

    [Fact]
    public void Variants_stream_across_several_row_groups()
    {
        int count = DatasetLayout.VariantRowGroupTarget + 5000;
        var matrix = TestMatrix.Random(3, [count - 10, 10]);
        string path = _temp.Join("ds");
        matrix.WriteTo(path, new DatasetWriteOptions());

        using Dataset dataset = Dataset.Open(path);
        matrix.AssertEquals(dataset);
        string variantsFile = Path.Join(path, DatasetLayout.VariantsPath(1));
        int rowGroups = Sync.Run(async () =>
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(variantsFile, null, default);
            return reader.RowGroupCount;
        });
        Assert.Equal(2, rowGroups);
    }

    [Fact]
    public void Manifest_is_snake_case_json_with_per_file_checksums()
    {
        var matrix = TestMatrix.Random(5, [3]);
        string path = _temp.Join("ds");
        matrix.WriteTo(path, new DatasetWriteOptions(SamplesPerTile: 4, Release: "demo"));

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Join(path, "manifest.json")));
        System.Text.Json.JsonElement root = json.RootElement;
        Assert.Equal(2, root.GetProperty("format_version").GetInt32());
        System.Text.Json.JsonElement release = Assert.Single(root.GetProperty("releases").EnumerateArray());
        Assert.Equal(("demo", 1, 5), (release.GetProperty("label").GetString(), release.GetProperty("generation").GetInt32(), release.GetProperty("added_samples").GetInt32()));
        Assert.False(release.TryGetProperty("appended_at", out _), "the import that creates a dataset is written deterministically");
        Assert.Equal("demo", root.GetProperty("release").GetString());
        Assert.Equal(5, root.GetProperty("sample_count").GetInt32());
        Assert.Equal(3, root.GetProperty("variant_count").GetInt64());
        Assert.Equal(2, root.GetProperty("sample_block_count").GetInt32());
        Assert.Equal("1", root.GetProperty("regions")[0].GetProperty("contig").GetString());
        System.Text.Json.JsonElement tile = root.GetProperty("files").GetProperty("g1/tiles/r000000_b0001.parquet");
        Assert.Equal(new FileInfo(Path.Join(path, "g1/tiles/r000000_b0001.parquet")).Length, tile.GetProperty("bytes").GetInt64());
        Assert.Matches("^[0-9a-f]{16}$", tile.GetProperty("xxh3").GetString());
        Assert.Matches("^[0-9a-f]{16}$", root.GetProperty("manifest_xxh3").GetString());
    }

    [Fact]
    public void Wrong_row_length_and_invalid_options_are_rejected()
    {
        var matrix = TestMatrix.Random(5, [1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetWriter.Create(_temp.Join("x"), matrix.Samples, new DatasetWriteOptions(SamplesPerTile: 6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetWriter.Create(_temp.Join("x"), matrix.Samples, new DatasetWriteOptions(VariantsPerTile: 0)));
        using DatasetWriter writer = DatasetWriter.Create(_temp.Join("ds"), matrix.Samples, new DatasetWriteOptions());
        var e = Assert.Throws<ArgumentException>(() => writer.Write(matrix.Variants[0], new byte[3]));
        Assert.Contains("5 samples need 2", e.Message);
    }
}
