using System.IO.Hashing;
using GenoFlow.Core.Storage;
using GenoFlow.Tests.Shared;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>
/// Tiles forged so that their checksums still match (the manifest recomputed), the case where only the tile's own
/// structure stands between a reader and Parquet.Net: each ends in rows or one error naming the file, never a hang.
/// </summary>
public sealed class ForgedTileTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The smallest forgery found that made Parquet.Net loop forever: one byte of the genotypes column's metadata, the
    /// field header of num_values (i64, 0x16), turned into a map field (0x3b), which its Thrift reader cannot skip.
    /// </summary>
    [Fact]
    public async Task A_forged_tile_with_recomputed_checksums_is_refused_naming_the_byte_within_a_deadline()
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5, 3]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string relative = Dataset.Open(path).Manifest.Files.Keys.Single(f => f.EndsWith("r000000_b0000.parquet", StringComparison.Ordinal));
        string tile = Path.Join(path, relative);
        byte[] bytes = File.ReadAllBytes(tile);
        byte[] pattern = [.. "genotypes"u8, 0x15, 0x00, 0x16]; // the column's path, then codec = 0 (i32), then num_values (i64)
        int at = bytes.AsSpan().LastIndexOf(pattern) + pattern.Length - 1;
        Assert.True(at > 10, "the genotypes column's codec and num_values fields were not found in the footer");
        bytes[at] = 0x3b;
        Reseal(path, relative, bytes);

        Exception? error = await Task.Run(() => Record.Exception(() =>
        {
            using Dataset dataset = Dataset.Open(path);
            dataset.ReadTile(0, 0).Dispose();
        })).WaitAsync(Deadline);

        var format = Assert.IsType<GenoFlowFormatException>(error);
        Assert.Equal($"{tile}, byte offset {at}: damaged Parquet structure: field 7 of type 11 is not a field of ColumnMetaData that GenoFlow reads", format.Message);
    }

    /// <summary>Random byte mutations of a whole tile (the fuzzing that found the hang): rows or one error line each, within a deadline.</summary>
    [Fact]
    public async Task Mutated_tiles_end_in_rows_or_one_format_error_without_a_hang()
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5, 3]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string tile = Directory.GetFiles(path, "r000000_b0000.parquet", SearchOption.AllDirectories).Single();
        byte[] valid = File.ReadAllBytes(tile);
        for (int seed = 0; seed < 5000; seed++)
        {
            byte[] mutated = Mutator.Mutate(valid, new Random(seed));
            string problem;
            try
            {
                problem = await Task.Run(() => Decode(mutated, tile)).WaitAsync(Deadline);
            }
            catch (TimeoutException)
            {
                problem = $"hung for {Deadline}";
            }
            Assert.True(problem.Length == 0, $"seed {seed} ({Convert.ToBase64String(mutated)}): {problem}");
        }
    }

    private static string Decode(byte[] contents, string tile)
    {
        try
        {
            TileCodec.Decode(contents, tile, firstVariant: 0, rowCount: 4, blockBytes: 2);
            return "";
        }
        catch (GenoFlowFormatException e) when (e.File == tile && !e.Message.Contains('\n', StringComparison.Ordinal))
        {
            return "";
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Writes <paramref name="bytes"/> as the tile and records its size and checksum in a resealed manifest, as a forger would.</summary>
    private static void Reseal(string path, string relative, byte[] bytes)
    {
        File.WriteAllBytes(Path.Join(path, relative), bytes);
        string manifestPath = Path.Join(path, DatasetLayout.ManifestFileName);
        DatasetManifest manifest = Dataset.Open(path).Manifest;
        var files = new Dictionary<string, DataFileInfo>(manifest.Files) { [relative] = new DataFileInfo(bytes.Length, DatasetLayout.FormatXxh3(XxHash3.HashToUInt64(bytes))) };
        File.WriteAllBytes(manifestPath, (manifest with { Files = files }).ToSealedJson());
    }
}
