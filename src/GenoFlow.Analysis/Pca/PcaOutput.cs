using System.Globalization;
using System.Text;
using System.Text.Json;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// Writes a PCA into a directory, atomically (a staging directory beside it, then renamed):
/// <c>eigenvalues.tsv</c> (<c>pc eigenvalue variance_explained</c>, variance explained = eigenvalue / trace of the GRM),
/// <c>scores.tsv</c> (<c>sample_id PC1..PCK</c>, unit-norm eigenvectors over the kept samples, as plink2 --pca writes them),
/// <c>loadings.parquet</c> (per variant used: chrom, pos, id, ref, alt, alt_freq, scaling, PC1..PCK) and <c>model.json</c>.
/// A new sample's score on PC k is Σ_j (g_j − 2·alt_freq_j) · scaling_j · PCk_j, missing genotypes contributing 0
/// (see <see cref="Projection"/>).
/// </summary>
public static class PcaOutput
{
    public const string EigenvaluesFile = "eigenvalues.tsv";
    public const string ScoresFile = "scores.tsv";
    public const string LoadingsFile = "loadings.parquet";
    public const string ModelFile = "model.json";

    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    public static void Write(PcaResult result, Dataset dataset, string directory, string? keepQc = null, string? extract = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(dataset);
        IReadOnlyList<SampleInfo> samples = dataset.ReadSamples();
        OutputDirectory.Publish(directory, staging =>
        {
            WriteEigenvalues(result, Path.Join(staging, EigenvaluesFile));
            WriteScores(Path.Join(staging, ScoresFile), samples, result.K, dataset.Manifest, b => result.Store.Read<double>(PcaResult.ScoresPiece(b)), s => result.SampleKept[s]);
            WriteLoadings(result, dataset, Path.Join(staging, LoadingsFile));
            WriteModel(result, dataset, Path.Join(staging, ModelFile), keepQc, extract);
        });
    }

    private static void WriteEigenvalues(PcaResult result, string path)
    {
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine("pc\teigenvalue\tvariance_explained");
        for (int k = 0; k < result.K; k++)
        {
            writer.WriteLine($"{k + 1}\t{TextTable.Format(result.Eigenvalues[k])}\t{TextTable.Format(result.Eigenvalues[k] / result.Trace)}");
        }
    }

    /// <summary>scores.tsv from per-block pieces (block samples × K doubles), one block at a time.</summary>
    public static void WriteScores(string path, IReadOnlyList<SampleInfo> samples, int k, DatasetManifest manifest, Func<int, double[]> block, Func<int, bool> include)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(include);
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine("sample_id\t" + string.Join('\t', Enumerable.Range(1, k).Select(i => $"PC{i}")));
        var line = new StringBuilder();
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] piece = block(b);
            int first = b * manifest.SamplesPerTile;
            for (int s = 0; s < manifest.BlockSampleCount(b); s++)
            {
                if (!include(first + s))
                {
                    continue;
                }
                line.Clear().Append(samples[first + s].SampleId);
                for (int c = 0; c < k; c++)
                {
                    line.Append('\t').Append(TextTable.Format(piece[s * k + c]));
                }
                writer.WriteLine(line);
            }
        }
    }

    internal static ParquetSchema LoadingsSchema(int k) => new([
        new DataField<string>("chrom", false), new DataField<long>("pos"), new DataField<string>("id", false), new DataField<string>("ref", false),
        new DataField<string>("alt", false), new DataField<double>("alt_freq"), new DataField<double>("scaling"),
        .. Enumerable.Range(1, k).Select(i => new DataField<double>($"PC{i}")),
    ]);

    /// <summary>One row group per region, holding the region's variants that were used.</summary>
    private static void WriteLoadings(PcaResult result, Dataset dataset, string path)
    {
        int k = result.K;
        ParquetSchema schema = LoadingsSchema(k);
        DataField[] fields = schema.GetDataFields();
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        using IEnumerator<VariantInfo> variants = dataset.ReadVariants().GetEnumerator();
        Run(async () =>
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, output, WriteOptions, false, default);
            foreach (GenoFlow.Core.Storage.RegionInfo region in dataset.Manifest.Regions)
            {
                double[] loadings = result.Store.Read<double>(PcaResult.LoadingsPiece(region.Index));
                var rows = new List<(VariantInfo Variant, long Index, int Local)>();
                for (int v = 0; v < region.VariantCount; v++)
                {
                    if (!variants.MoveNext())
                    {
                        throw new InvalidDataException($"{dataset.Path}: fewer variants than the manifest lists");
                    }
                    long index = region.FirstVariant + v;
                    if (result.Scaling[index] != 0)
                    {
                        rows.Add((variants.Current, index, v));
                    }
                }
                if (rows.Count == 0)
                {
                    continue;
                }
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                await group.WriteAsync((DataField<string>)fields[0], rows.Select(r => r.Variant.Chrom).ToArray());
                await group.WriteAsync<long>((DataField<long>)fields[1], rows.Select(r => r.Variant.Position).ToArray());
                await group.WriteAsync((DataField<string>)fields[2], rows.Select(r => r.Variant.Id).ToArray());
                await group.WriteAsync((DataField<string>)fields[3], rows.Select(r => r.Variant.Ref).ToArray());
                await group.WriteAsync((DataField<string>)fields[4], rows.Select(r => r.Variant.Alt).ToArray());
                await group.WriteAsync<double>((DataField<double>)fields[5], rows.Select(r => result.AltFrequency[r.Index]).ToArray());
                await group.WriteAsync<double>((DataField<double>)fields[6], rows.Select(r => result.Scaling[r.Index]).ToArray());
                for (int c = 0; c < k; c++)
                {
                    await group.WriteAsync<double>((DataField<double>)fields[7 + c], rows.Select(r => loadings[r.Local * k + c]).ToArray());
                }
                group.CompleteValidate();
            }
        });
    }

    private static void WriteModel(PcaResult result, Dataset dataset, string path, string? keepQc, string? extract)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("format_version", 1);
        json.WriteNumber("k", result.K);
        json.WriteString("method", result.Settings.Method == PcaMethod.Exact ? "exact" : "randomized");
        json.WriteNumber("seed", result.Settings.Seed);
        json.WriteNumber("columns", result.Settings.Method == PcaMethod.Exact ? result.K : result.Settings.Columns);
        json.WriteNumber("iterations", result.Iterations);
        json.WriteBoolean("converged", result.Converged);
        json.WriteNumber("max_iterations", result.Settings.MaxIterations);
        json.WriteNumber("tolerance", result.Settings.Tolerance);
        json.WriteString("convergence", "max relative change of the top-K Ritz values in one iteration <= tolerance");
        json.WriteNumber("variants_used", result.VariantsUsed);
        json.WriteNumber("samples_used", result.SampleKept.Count(k => k));
        json.WriteNumber("grm_trace", result.Trace);
        json.WriteString("dataset", dataset.Path);
        json.WriteString("release", dataset.Release);
        json.WriteString("manifest_xxh3", dataset.Manifest.ManifestXxh3);
        json.WriteString("keep_qc", keepQc);
        json.WriteString("extract", extract);
        json.WriteString("normalisation", "x = (g - 2 alt_freq) * scaling, scaling = 1/sqrt(2 alt_freq (1 - alt_freq)), missing -> 0");
        json.WriteString("projection", "score_k = sum_j x_j * PCk_j (loadings.parquet)");
        json.WriteEndObject();
    }

    /// <summary>Parquet.Net is async-only; library code has no synchronization context, so blocking cannot deadlock.</summary>
    internal static void Run(Func<Task> work) => work().GetAwaiter().GetResult();
}
