using System.Globalization;
using System.Text;
using System.Text.Json;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Tables;
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

    /// <returns>What the files hold, for the stages after PCA: the projection model (loadings.parquet) and the scores (scores.tsv).</returns>
    public static (Projection.Model Model, SampleTable Scores) Write(PcaResult result, Dataset dataset, string directory, string? keepQc = null, string? extract = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(dataset);
        SampleTable scores = PcaScores.Collect(Path.Join(Path.GetFullPath(directory), ScoresFile), dataset, result);
        Projection.Model? model = null;
        OutputDirectory.Publish(directory, staging =>
        {
            WriteEigenvalues(result, Path.Join(staging, EigenvaluesFile));
            WriteScores(Path.Join(staging, ScoresFile), scores);
            model = WriteLoadings(result, dataset, Path.Join(staging, LoadingsFile));
            WriteModel(result, dataset, Path.Join(staging, ModelFile), keepQc, extract);
        });
        return (model!, scores);
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

    /// <summary>scores.tsv: <c>sample_id PC1..PCK</c>, one row per sample of <paramref name="scores"/>, numbers round-trip.</summary>
    public static void WriteScores(string path, SampleTable scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine("sample_id\t" + string.Join('\t', scores.Columns));
        var line = new StringBuilder();
        for (int row = 0; row < scores.RowCount; row++)
        {
            line.Clear().Append(scores.SampleIds[row]);
            for (int c = 0; c < scores.Columns.Count; c++)
            {
                line.Append('\t').Append(TextTable.Format(scores.Number(row, c, "score")));
            }
            writer.WriteLine(line);
        }
    }

    internal static ParquetSchema LoadingsSchema(int k) => new([
        new DataField<string>("chrom", false), new DataField<long>("pos"), new DataField<string>("id", false), new DataField<string>("ref", false),
        new DataField<string>("alt", false), new DataField<double>("alt_freq"), new DataField<double>("scaling"),
        .. Enumerable.Range(1, k).Select(i => new DataField<double>($"PC{i}")),
    ]);

    /// <summary>One row group per region, holding the region's variants that were used; returns the same rows as a projection model.</summary>
    private static Projection.Model WriteLoadings(PcaResult result, Dataset dataset, string path)
    {
        int k = result.K;
        var model = new List<(VariantInfo Variant, long Index, double[] Loadings)>();
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
                model.AddRange(rows.Select(r => (r.Variant, r.Index, loadings[(r.Local * k)..((r.Local + 1) * k)])));
            }
        });
        return new Projection.Model(k, [.. model.Select(m => m.Variant.Chrom)], [.. model.Select(m => m.Variant.Position)], [.. model.Select(m => m.Variant.Ref)],
            [.. model.Select(m => m.Variant.Alt)], [.. model.Select(m => result.AltFrequency[m.Index])], [.. model.Select(m => result.Scaling[m.Index])],
            [.. Enumerable.Range(0, k).Select(c => model.Select(m => m.Loadings[c]).ToArray())]);
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
        json.WriteNumber("residual_tolerance", result.Settings.ResidualTolerance);
        json.WriteNumber("bulk_ratio", StoppingRule.BulkRatio);
        json.WriteString("convergence", StoppingRule.Description);
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
