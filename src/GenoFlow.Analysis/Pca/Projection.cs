using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// Scores of a dataset's samples on a PCA model (<see cref="PcaOutput"/>'s loadings.parquet):
/// score_k(s) = Σ_j (g_sj − 2 p_j) · scaling_j · w_jk over the model variants found in the dataset, missing → 0.
/// Variants match on (chrom, pos, ref, alt); a variant stored with REF and ALT swapped counts 2 − g ALT alleles, i.e.
/// center 2 − 2p and scale −scaling. One scatter of the transposed product (block-major), loadings passed as region pieces
/// through a <see cref="ScratchStore"/>. Since w_jk = (X v_k)_j / (M λ_k), a model's own samples get their scores back.
/// </summary>
public static class Projection
{
    /// <summary>Projection refuses to run when fewer model variants than this fraction are found.</summary>
    public const double MinOverlapFraction = 0.5;

    public const int MinOverlap = 100;

    public sealed record Model(int K, string[] Chrom, long[] Position, string[] Ref, string[] Alt, double[] AltFrequency, double[] Scaling, double[][] Loadings)
    {
        /// <summary>Most variants a model file may hold (PCA runs on LD-pruned variants, far fewer).</summary>
        public const long MaxModelVariants = 1 << 26;

        public int VariantCount => Chrom.Length;

        public static Model Load(string directory)
        {
            string path = Path.Join(directory, PcaOutput.LoadingsFile);
            if (!File.Exists(path))
            {
                throw new Core.GenoFlowFormatException(path, "missing: not a PCA output directory (genoflow pca --out)");
            }
            using var input = File.OpenRead(path);
            ParquetStructure.Check(input, path, MaxModelVariants);
            Model? model = null;
            PcaOutput.Run(async () =>
            {
                await using ParquetReader reader = await ParquetReader.CreateAsync(input, null, true, default);
                int k = reader.Schema.GetDataFields().Count(f => f.Name.StartsWith("PC", StringComparison.Ordinal));
                DataField[] fields = PcaOutput.LoadingsSchema(k).GetDataFields();
                var chrom = new List<string>();
                var pos = new List<long>();
                var refs = new List<string>();
                var alts = new List<string>();
                var freq = new List<double>();
                var scaling = new List<double>();
                var loadings = Enumerable.Range(0, k).Select(_ => new List<double>()).ToArray();
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                    int rows = checked((int)group.RowCount);
                    chrom.AddRange(await Strings(group, Field(fields, "chrom"), rows));
                    var positions = new long[rows];
                    await group.ReadAsync<long>((DataField<long>)Field(fields, "pos"), positions, null, default);
                    pos.AddRange(positions);
                    refs.AddRange(await Strings(group, Field(fields, "ref"), rows));
                    alts.AddRange(await Strings(group, Field(fields, "alt"), rows));
                    freq.AddRange(await Doubles(group, Field(fields, "alt_freq"), rows));
                    scaling.AddRange(await Doubles(group, Field(fields, "scaling"), rows));
                    for (int c = 0; c < k; c++)
                    {
                        loadings[c].AddRange(await Doubles(group, Field(fields, $"PC{c + 1}"), rows));
                    }
                }
                model = new Model(k, [.. chrom], [.. pos], [.. refs], [.. alts], [.. freq], [.. scaling], loadings.Select(l => l.ToArray()).ToArray());
            });
            return model!;
        }

        private static DataField Field(DataField[] fields, string name) =>
            fields.FirstOrDefault(f => f.Name == name) ?? throw new InvalidDataException($"{PcaOutput.LoadingsFile} has no column '{name}'");

        private static async Task<string[]> Strings(ParquetRowGroupReader group, DataField field, int rows)
        {
            var values = new string?[rows];
            await group.ReadAsync((DataField<string>)field, values, null, default);
            return values.Select(v => v ?? "").ToArray();
        }

        private static async Task<double[]> Doubles(ParquetRowGroupReader group, DataField field, int rows)
        {
            var values = new double[rows];
            await group.ReadAsync<double>((DataField<double>)field, values, null, default);
            return values;
        }
    }

    public sealed record Result(int K, int Matched, int Flipped, int ModelVariants, ScratchStore Store)
    {
        public static string ScoresPiece(int block) => $"projected-b{block}";
    }

    public static async Task<Result> RunAsync(IJobExecutor executor, Dataset dataset, Model model, ScratchStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(store);
        var index = new Dictionary<(string, long, string, string), int>();
        for (int j = 0; j < model.VariantCount; j++)
        {
            index.TryAdd((model.Chrom[j], model.Position[j], model.Ref[j], model.Alt[j]), j);
        }
        int width = PcaSettings.PadColumns(model.K);
        int matched = 0, flipped = 0;
        var seen = new bool[model.VariantCount];
        using IEnumerator<VariantInfo> variants = dataset.ReadVariants().GetEnumerator();
        foreach (RegionInfo region in dataset.Manifest.Regions)
        {
            var normalisation = new double[2 * region.VariantCount];
            var loadings = new float[region.VariantCount * width];
            for (int v = 0; v < region.VariantCount; v++)
            {
                variants.MoveNext();
                VariantInfo variant = variants.Current;
                bool flip = false;
                if (!index.TryGetValue((variant.Chrom, variant.Position, variant.Ref, variant.Alt), out int j))
                {
                    flip = index.TryGetValue((variant.Chrom, variant.Position, variant.Alt, variant.Ref), out j);
                    if (!flip)
                    {
                        continue;
                    }
                }
                if (seen[j])
                {
                    continue;
                }
                seen[j] = true;
                matched++;
                flipped += flip ? 1 : 0;
                double center = 2 * model.AltFrequency[j];
                normalisation[2 * v] = flip ? 2 - center : center;
                normalisation[2 * v + 1] = flip ? -model.Scaling[j] : model.Scaling[j];
                for (int c = 0; c < model.K; c++)
                {
                    loadings[v * width + c] = (float)model.Loadings[c][j];
                }
            }
            store.Write<double>(PcaJob.NormalisationPiece(region.Index), normalisation);
            store.Write<float>(PcaJob.RegionPiece("W", region.Index), loadings);
        }
        if (matched < MinOverlap || matched < MinOverlapFraction * model.VariantCount)
        {
            throw new StageException($"only {matched:N0} of the model's {model.VariantCount:N0} variants are in {dataset.Path} (matched on chrom, pos, ref, alt, allowing swapped alleles); projection needs at least {MinOverlapFraction:P0} and {MinOverlap}");
        }
        var job = new PcaJob(executor, dataset, store, ct);
        await job.Transposed("W", width, (b, z) =>
        {
            int rows = z.Length / width;
            var scores = new double[rows * model.K];
            for (int s = 0; s < rows; s++)
            {
                for (int c = 0; c < model.K; c++)
                {
                    scores[s * model.K + c] = z[s * width + c];
                }
            }
            store.Write<double>(Result.ScoresPiece(b), scores);
        }).ConfigureAwait(false);
        return new Result(model.K, matched, flipped, model.VariantCount, store);
    }

    /// <summary>Every sample's scores, as scores.tsv in <paramref name="directory"/> holds them.</summary>
    public static SampleTable Collect(Result result, Dataset dataset, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(dataset);
        return PcaScores.Collect(Path.Join(Path.GetFullPath(directory), PcaOutput.ScoresFile), dataset, result.K,
            b => result.Store.Read<double>(Result.ScoresPiece(b)), _ => true);
    }

    /// <summary>Writes DIR/scores.tsv (the layout of pca's), DIR/overlap.tsv (model variants, matched, flipped) and, when
    /// given, DIR/drift.tsv, atomically.</summary>
    public static void Write(Result result, SampleTable scores, string directory, ProjectionDrift? drift = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(scores);
        OutputDirectory.Publish(directory, staging =>
        {
            PcaOutput.WriteScores(Path.Join(staging, PcaOutput.ScoresFile), scores);
            using (StreamWriter overlap = TextTable.Create(Path.Join(staging, "overlap.tsv")))
            {
                overlap.WriteLine("model_variants\tmatched\tflipped");
                overlap.WriteLine($"{result.ModelVariants}\t{result.Matched}\t{result.Flipped}");
            }
            drift?.Write(Path.Join(staging, ProjectionDrift.FileName));
        });
    }
}
