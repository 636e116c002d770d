using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tables;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// Scores held as per-block pieces in a job's scratch store (block samples × K doubles), gathered into an in-memory
/// sample table (<c>PC1..PCK</c>) for the stages that use them: the same numbers scores.tsv holds, without a round
/// trip through text.
/// </summary>
public static class PcaScores
{
    public static SampleTable Collect(string source, Dataset dataset, int k, Func<int, double[]> block, Func<int, bool> include)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(include);
        IReadOnlyList<SampleInfo> samples = dataset.ReadSamples();
        DatasetManifest manifest = dataset.Manifest;
        var ids = new List<string>();
        var rows = new List<double[]>();
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] piece = block(b);
            int first = b * manifest.SamplesPerTile;
            for (int s = 0; s < manifest.BlockSampleCount(b); s++)
            {
                if (include(first + s))
                {
                    ids.Add(samples[first + s].SampleId);
                    rows.Add(piece[(s * k)..((s + 1) * k)]);
                }
            }
        }
        double[][] columns = [.. Enumerable.Range(0, k).Select(c => rows.Select(r => r[c]).ToArray())];
        return SampleTable.FromColumns(source, ids, [.. Enumerable.Range(1, k).Select(i => $"PC{i}")], columns);
    }

    /// <summary>The scores a PCA job left in its scratch store, for the samples it kept.</summary>
    public static SampleTable Collect(string source, Dataset dataset, PcaResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Collect(source, dataset, result.K, b => result.Store.Read<double>(PcaResult.ScoresPiece(b)), s => result.SampleKept[s]);
    }
}
