using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

public sealed class DatasetIntegrityTests : IDisposable
{
    private const string Tile = "g1/tiles/r000001_b0002.parquet";
    private readonly TempDirectory _temp = new();
    private readonly string _path;
    private readonly TestMatrix _matrix = TestMatrix.Random(20, [5, 6]);

    public DatasetIntegrityTests()
    {
        _path = _temp.Join("ds");
        _matrix.WriteTo(_path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_flipped_byte_in_a_tile_is_reported_naming_that_tile()
    {
        string file = Path.Join(_path, Tile);
        byte[] bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(file, bytes);

        using Dataset dataset = Dataset.Open(_path);
        var e = Assert.Throws<GenoFlowFormatException>(() => dataset.ReadTile(1, 2));
        Assert.Contains(Tile + ": checksum mismatch, the file is damaged (expected xxh3 ", e.Message);
        using (dataset.ReadTile(1, 1))
        {
            // Other tiles stay readable.
        }

        IReadOnlyList<FileCheck> checks = dataset.Verify();
        Assert.Equal(dataset.Manifest.Files.Count, checks.Count);
        FileCheck bad = Assert.Single(checks, c => !c.IsOk);
        Assert.Equal(Tile, bad.File);
        Assert.Equal(FileCheckStatus.ChecksumMismatch, bad.Status);
        Assert.Contains("checksum mismatch", bad.Problem);

        using IGenotypeReader reader = dataset.OpenRowReader();
        var row = new byte[PackedGenotypes.RowBytes(20)];
        var readError = Assert.Throws<GenoFlowFormatException>(() =>
        {
            while (reader.ReadNext(out _, row))
            {
            }
        });
        Assert.Contains(Tile, readError.Message);
    }

    [Fact]
    public void A_truncated_tile_is_a_size_mismatch()
    {
        string file = Path.Join(_path, Tile);
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^1]);

        using Dataset dataset = Dataset.Open(_path);
        var e = Assert.Throws<GenoFlowFormatException>(() => dataset.ReadTile(1, 2));
        Assert.Contains($"{Tile}: size mismatch, the file is damaged (expected {bytes.Length} bytes, found {bytes.Length - 1})", e.Message);
        Assert.Equal(FileCheckStatus.SizeMismatch, Assert.Single(dataset.Verify(), c => !c.IsOk).Status);
    }

    [Fact]
    public void A_deleted_tile_is_reported_missing()
    {
        File.Delete(Path.Join(_path, Tile));

        using Dataset dataset = Dataset.Open(_path);
        var e = Assert.Throws<GenoFlowFormatException>(() => dataset.ReadTile(1, 2));
        Assert.Contains($"{Tile}: missing", e.Message);
        FileCheck bad = Assert.Single(dataset.Verify(), c => !c.IsOk);
        Assert.Equal((Tile, FileCheckStatus.Missing), (bad.File, bad.Status));
    }

    [Fact]
    public void Damaged_sample_and_variant_tables_are_reported_naming_the_file()
    {
        FlipLastByte("g1/samples.parquet");
        FlipLastByte("g1/variants.parquet");

        using Dataset dataset = Dataset.Open(_path);
        Assert.Contains("g1/samples.parquet: checksum mismatch", Assert.Throws<GenoFlowFormatException>(dataset.ReadSamples).Message);
        Assert.Contains("g1/variants.parquet: checksum mismatch", Assert.Throws<GenoFlowFormatException>(() => dataset.ReadVariants().ToList()).Message);
        Assert.Equal(2, dataset.Verify().Count(c => !c.IsOk));
    }

    [Fact]
    public void An_edited_count_in_the_manifest_is_detected()
    {
        string manifest = Path.Join(_path, "manifest.json");
        string json = File.ReadAllText(manifest);
        string edited = json.Replace("\"variant_count\": 11", "\"variant_count\": 12", StringComparison.Ordinal);
        Assert.NotEqual(json, edited);
        File.WriteAllText(manifest, edited);

        var e = Assert.Throws<GenoFlowFormatException>(() => Dataset.Open(_path));
        Assert.Contains("manifest.json: checksum mismatch", e.Message);
    }

    [Fact]
    public void A_manifest_that_is_not_json_is_reported_naming_it()
    {
        string manifest = Path.Join(_path, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest)[..40]);

        var e = Assert.Throws<GenoFlowFormatException>(() => Dataset.Open(_path));
        Assert.Contains("manifest.json: not a valid manifest", e.Message);
    }

    [Fact]
    public void A_manifest_with_an_unknown_field_is_rejected()
    {
        string manifest = Path.Join(_path, "manifest.json");
        string json = File.ReadAllText(manifest);
        File.WriteAllText(manifest, json.Replace("{\n  \"format_version\"", "{\n  \"extra\": 1,\n  \"format_version\"", StringComparison.Ordinal));
        Assert.NotEqual(json, File.ReadAllText(manifest));

        var e = Assert.Throws<GenoFlowFormatException>(() => Dataset.Open(_path));
        Assert.Contains("manifest.json", e.Message);
    }

    [Fact]
    public void Out_of_range_tiles_are_argument_errors()
    {
        using Dataset dataset = Dataset.Open(_path);
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.ReadTile(dataset.RegionCount, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.ReadTile(0, dataset.SampleBlockCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.ReadTile(-1, 0));
    }

    private void FlipLastByte(string relative)
    {
        string file = Path.Join(_path, relative);
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(file, bytes);
    }
}
