using System.Globalization;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Tables;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// How well a frozen PCA model (e.g. the previous release's) describes samples it was not fitted on (e.g. a new
/// release's): per PC, the mean square of the new samples' projected scores against the model's own samples' (a ratio
/// near 1: the PC captures as much of the new samples' variation; well below 1: projection shrinks them, or the new
/// samples vary along other axes), and, when a refit on the new data exists, the |correlation| of the projected scores
/// with the refit's over the samples both score (sign is arbitrary per PC). Written as <c>drift.tsv</c>.
/// </summary>
public sealed record ProjectionDrift(int ModelSamples, int NewSamples, double[] ModelMeanSquare, double[] NewMeanSquare, double[]? RefitCorrelation)
{
    public const string FileName = "drift.tsv";

    /// <param name="projected">Scores of every sample on the model (PC1..PCK).</param>
    /// <param name="modelScores">The model's own scores.tsv: the samples it was fitted on.</param>
    /// <param name="refit">A refit's scores.tsv on the projected dataset, or null.</param>
    public static ProjectionDrift Compute(SampleTable projected, SampleTable modelScores, SampleTable? refit, int k)
    {
        ArgumentNullException.ThrowIfNull(projected);
        ArgumentNullException.ThrowIfNull(modelScores);
        var modelSquares = new double[k];
        var newSquares = new double[k];
        int newSamples = 0;
        int[] projectedColumns = Columns(projected, k, "projected score");
        int[] modelColumns = Columns(modelScores, k, "model score");
        for (int row = 0; row < modelScores.RowCount; row++)
        {
            for (int c = 0; c < k; c++)
            {
                double x = modelScores.Number(row, modelColumns[c], "model score");
                modelSquares[c] += double.IsNaN(x) ? 0 : x * x;
            }
        }
        for (int row = 0; row < projected.RowCount; row++)
        {
            if (modelScores.TryGetRow(projected.SampleIds[row], out _))
            {
                continue;
            }
            newSamples++;
            for (int c = 0; c < k; c++)
            {
                double x = projected.Number(row, projectedColumns[c], "projected score");
                newSquares[c] += x * x;
            }
        }
        return new ProjectionDrift(modelScores.RowCount, newSamples,
            modelSquares.Select(s => s / Math.Max(1, modelScores.RowCount)).ToArray(),
            newSquares.Select(s => newSamples == 0 ? double.NaN : s / newSamples).ToArray(),
            refit is null ? null : Correlations(projected, projectedColumns, refit, k));
    }

    public void Write(string path)
    {
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine("pc\tmodel_samples\tmodel_mean_square\tnew_samples\tnew_mean_square\tvariance_ratio\trefit_abs_correlation");
        for (int c = 0; c < ModelMeanSquare.Length; c++)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PC{c + 1}\t{ModelSamples}\t{TextTable.Format(ModelMeanSquare[c])}\t{NewSamples}\t{TextTable.Format(NewMeanSquare[c])}\t{TextTable.Format(Ratio(c))}\t{(RefitCorrelation is null ? "NA" : TextTable.Format(RefitCorrelation[c]))}"));
        }
    }

    public IEnumerable<string> Report()
    {
        yield return $"drift of {NewSamples:N0} samples the model was not fitted on (vs its {ModelSamples:N0}), per PC: variance ratio{(RefitCorrelation is null ? "" : ", |correlation| with the refit")}";
        for (int c = 0; c < ModelMeanSquare.Length; c++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"PC{c + 1}\t{Ratio(c):F3}{(RefitCorrelation is null ? "" : $"\t{RefitCorrelation[c]:F4}")}");
        }
    }

    private double Ratio(int c) => ModelMeanSquare[c] > 0 ? NewMeanSquare[c] / ModelMeanSquare[c] : double.NaN;

    private static int[] Columns(SampleTable table, int k, string role) =>
        Enumerable.Range(1, k).Select(c => table.ColumnIndex($"PC{c}", role)).ToArray();

    private static double[] Correlations(SampleTable projected, int[] projectedColumns, SampleTable refit, int k)
    {
        int[] refitColumns = Columns(refit, k, "refit score");
        var result = new double[k];
        for (int c = 0; c < k; c++)
        {
            var pairs = new List<(double, double)>();
            for (int row = 0; row < projected.RowCount; row++)
            {
                if (refit.TryGetRow(projected.SampleIds[row], out int other) && refit.Number(other, refitColumns[c], "refit score") is var y && !double.IsNaN(y))
                {
                    pairs.Add((projected.Number(row, projectedColumns[c], "projected score"), y));
                }
            }
            result[c] = Math.Abs(Correlation(pairs));
        }
        return result;
    }

    private static double Correlation(List<(double X, double Y)> pairs)
    {
        double mx = pairs.Average(p => p.X), my = pairs.Average(p => p.Y), sxy = 0, sxx = 0, syy = 0;
        foreach ((double x, double y) in pairs)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
