using GenoFlow.Core.Storage;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The exact method of <see cref="PrincipalComponents"/>: the N × N GRM assembled from X·E and Xᵀ·(X·E) for E a block
/// of 64 identity columns at a time, then eigen-decomposed with MathNet.
/// </summary>
internal static class ExactPca
{
    private const int ExactChunk = 64;

    public static async Task<double[]> RunAsync(PcaJob job, PcaSettings settings, bool[] samples, long used)
    {
        DatasetManifest manifest = job.Dataset.Manifest;
        int n = job.Dataset.SampleCount;
        var grm = Matrix<double>.Build.Dense(n, n);
        for (int start = 0; start < n; start += ExactChunk)
        {
            int width = Math.Min(ExactChunk, n - start);
            string e = $"E{start}";
            var blocks = new List<int>();
            for (int b = 0; b < manifest.SampleBlockCount; b++)
            {
                int first = b * manifest.SamplesPerTile;
                int count = manifest.BlockSampleCount(b);
                if (first < start + width && start < first + count)
                {
                    blocks.Add(b);
                    var identity = new float[count * ExactChunk];
                    for (int j = 0; j < width; j++)
                    {
                        int s = start + j - first;
                        if (s >= 0 && s < count && samples[start + j])
                        {
                            identity[s * ExactChunk + j] = 1;
                        }
                    }
                    job.Store.Write<float>(PcaJob.BlockPiece(e, b), identity);
                }
            }
            await job.Forward(e, ExactChunk, blocks, (r, y) => job.Store.Write<float>(PcaJob.RegionPiece($"{e}y", r), y.Select(x => (float)x).ToArray())).ConfigureAwait(false);
            await job.Transposed($"{e}y", ExactChunk, (b, z) =>
            {
                int first = b * manifest.SamplesPerTile;
                for (int s = 0; s < manifest.BlockSampleCount(b); s++)
                {
                    for (int j = 0; j < width; j++)
                    {
                        grm[first + s, start + j] = samples[first + s] ? z[s * ExactChunk + j] / used : 0;
                    }
                }
            }).ConfigureAwait(false);
        }
        // Symmetrise away the float rounding of the two halves.
        grm = (grm + grm.Transpose()) / 2;
        var evd = grm.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, n).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).Take(settings.K).ToArray();
        Matrix<double> vectors = evd.EigenVectors;
        PrincipalComponents.WriteScores(job.Store, manifest, settings.K, b =>
        {
            int first = b * manifest.SamplesPerTile;
            int count = manifest.BlockSampleCount(b);
            var piece = new double[count * settings.K];
            for (int s = 0; s < count; s++)
            {
                for (int k = 0; k < settings.K; k++)
                {
                    piece[s * settings.K + k] = vectors[first + s, order[k]];
                }
            }
            return piece;
        });
        return order.Select(i => evd.EigenValues[i].Real).ToArray();
    }
}
