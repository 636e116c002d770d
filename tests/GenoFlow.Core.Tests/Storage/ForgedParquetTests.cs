using System.IO.Hashing;
using GenoFlow.Core.Storage;
using GenoFlow.Tests.Shared;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>
/// Variant tables, sample tables and tiles whose footers were forged (checksums recomputed, as a forger would): a
/// column chunk claiming a huge count or length, or a chunk cut short. Each is refused by the structure check before
/// Parquet.Net reads it, in one line naming the file and the byte offset, without a large allocation.
/// </summary>
public sealed class ForgedParquetTests : IDisposable
{
    private const long Huge = 1L << 40;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Columns => new()
    {
        { DatasetLayout.VariantsFileName, "chrom" },
        { DatasetLayout.SamplesFileName, "sample_id" },
        { "r000000_b0000.parquet", "genotypes" },
    };

    [Theory]
    [MemberData(nameof(Columns))]
    public void A_column_chunk_claiming_a_huge_value_count_is_refused_before_allocating(string fileName, string column)
    {
        (string path, string file, byte[] bytes) = WriteDataset(fileName);
        int at = ParquetForgery.ColumnValuesAt(bytes, column);
        Reseal(path, file, ParquetForgery.WithValue(bytes, at, Huge));

        (GenoFlowFormatException error, long allocated) = Read(path, fileName);

        Assert.Matches($@"^{Escape(file)}, byte offset \d+: damaged Parquet structure: a column chunk claims {Huge} values, where this file may hold \d+ rows$", error.Message);
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void A_column_chunk_claiming_more_bytes_than_the_file_holds_is_refused(string fileName, string column)
    {
        (string path, string file, byte[] bytes) = WriteDataset(fileName);
        int at = ParquetForgery.NextValue(bytes, ParquetForgery.NextValue(bytes, ParquetForgery.ColumnValuesAt(bytes, column))); // total_compressed_size
        Reseal(path, file, ParquetForgery.WithValue(bytes, at, Huge));

        (GenoFlowFormatException error, long allocated) = Read(path, fileName);

        Assert.Matches($@"^{Escape(file)}, byte offset \d+: damaged Parquet structure: a column chunk claims {Huge} bytes from byte \d+, but its pages must lie between byte 4 and the footer at \d+$", error.Message);
        Assert.True(allocated < 16 << 20, $"refusing it allocated {allocated:N0} bytes");
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void A_truncated_column_chunk_is_refused_naming_where_it_claims_to_be(string fileName, string column)
    {
        _ = column;
        (string path, string file, byte[] bytes) = WriteDataset(fileName);
        byte[] truncated = ParquetForgery.WithTruncatedLastChunk(bytes, 3);
        Reseal(path, file, truncated);

        (GenoFlowFormatException error, _) = Read(path, fileName);

        Assert.Matches($@"^{Escape(file)}, byte offset \d+: damaged Parquet structure: a column chunk claims \d+ bytes from byte \d+, but its pages must lie between byte 4 and the footer at {ParquetForgery.MetadataStart(truncated)}$", error.Message);
    }

    [Fact]
    public async Task Mutated_sample_tables_end_in_rows_or_one_format_error_without_a_hang_or_a_large_allocation()
    {
        (_, string file, byte[] valid) = WriteDataset(DatasetLayout.SamplesFileName);
        for (int seed = 0; seed < 2000; seed++)
        {
            byte[] mutated = Mutator.Mutate(valid, new Random(seed));
            string problem = await Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    SampleTable.Read(mutated, file, sampleCount: 13);
                }
                catch (GenoFlowFormatException e) when (e.File == file && !e.Message.Contains('\n', StringComparison.Ordinal))
                {
                }
                catch (Exception e)
                {
                    return $"threw {e.GetType().Name}: {e.Message}";
                }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                return allocated < 64L << 20 ? "" : $"allocated {allocated:N0} bytes";
            }).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(problem.Length == 0, $"seed {seed} ({Convert.ToBase64String(mutated)}): {problem}");
        }
    }

    /// <summary>A small dataset; the full path of its file named <paramref name="fileName"/>, and that file's bytes.</summary>
    private (string Path, string File, byte[] Bytes) WriteDataset(string fileName)
    {
        string path = _dir.Join("ds");
        TestMatrix.Random(10, [5, 8]).WriteTo(path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
        string file = Directory.GetFiles(path, fileName, SearchOption.AllDirectories).Single();
        return (path, file, File.ReadAllBytes(file));
    }

    private static (GenoFlowFormatException Error, long Allocated) Read(string path, string fileName)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GenoFlowFormatException>(() =>
        {
            using Dataset dataset = Dataset.Open(path);
            switch (fileName)
            {
                case DatasetLayout.VariantsFileName:
                    _ = dataset.ReadVariants().Count();
                    break;
                case DatasetLayout.SamplesFileName:
                    dataset.ReadSamples();
                    break;
                default:
                    dataset.ReadTile(0, 0).Dispose();
                    break;
            }
        });
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="file"/> and records its size and checksum in a resealed manifest.</summary>
    private static void Reseal(string path, string file, byte[] bytes)
    {
        File.WriteAllBytes(file, bytes);
        string relative = Path.GetRelativePath(path, file).Replace('\\', '/');
        DatasetManifest manifest = Dataset.Open(path).Manifest;
        var files = new Dictionary<string, DataFileInfo>(manifest.Files) { [relative] = new DataFileInfo(bytes.Length, DatasetLayout.FormatXxh3(XxHash3.HashToUInt64(bytes))) };
        File.WriteAllBytes(Path.Join(path, DatasetLayout.ManifestFileName), (manifest with { Files = files }).ToSealedJson());
    }
}
