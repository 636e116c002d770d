using GenoFlow.Core.Storage;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Pca;

/// <summary>The randomized method of <see cref="PrincipalComponents"/>: the block Krylov iteration from a seeded start block.</summary>
internal static class RandomizedPca
{
    /// <summary>
    /// Randomized block Krylov (block Lanczos with full reorthogonalisation; Musco &amp; Musco 2015): Q₁ = orth(Π) for a
    /// random start block Π, then each iteration i computes W = XᵀX Qᵢ (two scatters), projects it on every earlier
    /// block (the coefficients Qⱼᵀ W are the block column i of T = Qᵀ XᵀX Q) and orthonormalises the rest into Qᵢ₊₁ by
    /// a tall-skinny QR. The Ritz values of T after every iteration cost no extra pass over the genotypes, and they
    /// converge far faster than subspace iteration's when eigenvalues sit close together (the noise bulk past the
    /// population PCs), which is what sets the iteration count.
    /// </summary>
    public static async Task<(double[] Eigenvalues, int Iterations, bool Converged)> RunAsync(PcaJob job, PcaSettings settings, bool[] samples, long used,
        WarmStart? warmStart, IProgress<double>? progress)
    {
        int l = settings.Columns;
        DatasetManifest manifest = job.Dataset.Manifest;
        int blocks = manifest.SampleBlockCount;
        int kept = samples.Count(k => k);
        var start = new TallSkinnyQr(job.Store, "P", l);
        for (int b = 0; b < blocks; b++)
        {
            double[] block = StartBlock(settings.Seed, manifest.BlockSampleCount(b), b * manifest.SamplesPerTile, samples, l).Select(x => (double)x).ToArray();
            if (warmStart is not null)
            {
                Warm(block, warmStart, b, b * manifest.SamplesPerTile, samples, l);
            }
            start.Add(b, block);
        }
        start.Finish(b => PcaJob.BlockPiece("Q1", b));
        // The Krylov basis can never outgrow the rank of X: stop before it would.
        int maxIterations = (int)Math.Max(1, Math.Min(settings.MaxIterations, (Math.Min(kept, used) - 1) / l));
        var basis = new KrylovBasis(job.Store, l);
        var coefficients = new List<double[][]>();
        double[] previous = [];
        double[] ritz = [];
        Matrix<double> ritzVectors = Matrix<double>.Build.Dense(l, settings.K);
        int iteration = 0;
        bool converged = false;
        while (!converged && iteration < maxIterations)
        {
            iteration++;
            int i = iteration;
            var blockProjections = new double[blocks][][];
            await job.ForwardThenTransposed($"Q{i}", $"H{i}", l,
                (r, y) => job.Store.Write<float>(PcaJob.RegionPiece($"H{i}", r), y.Select(x => (float)x).ToArray()),
                (b, z) =>
                {
                    ZeroLeftOut(z, b, manifest, samples, l);
                    job.Store.Write<double>(PcaJob.BlockPiece($"W{i}", b), z);
                    blockProjections[b] = KrylovBasis.Zeros(i, l);
                    basis.AddProjections(i, b, z, blockProjections[b]);
                }).ConfigureAwait(false);
            double[][] projection = KrylovBasis.Sum(blockProjections, i, l);
            coefficients.Add(projection);
            long ritzStarted = Stopwatch.GetTimestamp();
            (ritz, ritzVectors, double edge) = RitzPairs.Of(coefficients, l, settings.K, used);
            job.Timings.Ritz += Stopwatch.GetElapsedTime(ritzStarted).TotalSeconds;
            progress?.Report(0.05 + 0.85 * iteration / maxIterations);
            // The next block is needed for the residuals even when this iteration turns out to be the last.
            long orthogonaliseStarted = Stopwatch.GetTimestamp();
            Matrix<double> coupling = basis.Orthogonalise(i, blocks, projection);
            job.Timings.Orthogonalise += Stopwatch.GetElapsedTime(orthogonaliseStarted).TotalSeconds;
            converged = StoppingRule.Converged(ritz, previous, Residuals(coupling, ritzVectors, i, l, ritz, used), edge, settings);
            previous = ritz;
        }
        long scoresStarted = Stopwatch.GetTimestamp();
        PrincipalComponents.WriteScores(job.Store, manifest, settings.K, b => RitzPairs.Block(basis, iteration, b, l, ritzVectors, manifest.BlockSampleCount(b)));
        job.Timings.ScoresAndLoadings += Stopwatch.GetElapsedTime(scoresStarted).TotalSeconds;
        return (ritz, iteration, converged);
    }

    /// <summary>
    /// Relative Ritz residuals: for u = Q y, XᵀX u − θ u = Qᵢ₊₁ R yᵢ (yᵢ: y's rows of the last basis block, R: the
    /// coupling <see cref="KrylovBasis.Orthogonalise"/> returns), so ‖residual‖ = ‖R yᵢ‖, divided by θ (unscaled: M·value).
    /// </summary>
    private static double[] Residuals(Matrix<double> coupling, Matrix<double> ritzVectors, int i, int l, double[] ritz, long used)
    {
        Matrix<double> last = ritzVectors.SubMatrix((i - 1) * l, l, 0, ritzVectors.ColumnCount);
        Matrix<double> residual = coupling * last;
        return Enumerable.Range(0, ritz.Length).Select(c => residual.Column(c).L2Norm() / (Math.Abs(ritz[c]) * used)).ToArray();
    }

    private static double[] ZeroLeftOut(double[] z, int block, DatasetManifest manifest, bool[] samples, int columns)
    {
        int first = block * manifest.SamplesPerTile;
        for (int s = 0; s < z.Length / columns; s++)
        {
            if (!samples[first + s])
            {
                Array.Clear(z, s * columns, columns);
            }
        }
        return z;
    }

    /// <summary>Puts the warm scores in the first columns of a start block (the rest stay random; left-out samples zero).</summary>
    private static void Warm(double[] block, WarmStart warm, int b, int firstSample, bool[] samples, int l)
    {
        double[] scores = warm.Block(b);
        int columns = Math.Min(warm.Columns, l);
        for (int s = 0; s < block.Length / l; s++)
        {
            for (int c = 0; c < columns; c++)
            {
                block[s * l + c] = samples[firstSample + s] ? scores[s * warm.Columns + c] : 0;
            }
        }
    }

    /// <summary>Deterministic start block: uniform(−1, 1) from a SplitMix64 hash of (seed, sample, column); left-out samples zero.</summary>
    private static float[] StartBlock(ulong seed, int count, int firstSample, bool[] samples, int columns)
    {
        var piece = new float[count * columns];
        for (int s = 0; s < count; s++)
        {
            if (!samples[firstSample + s])
            {
                continue;
            }
            for (int c = 0; c < columns; c++)
            {
                ulong h = SplitMix(seed ^ SplitMix(((ulong)(firstSample + s) << 16) | (uint)c));
                piece[s * columns + c] = (float)((h >> 11) * (2.0 / (1UL << 53)) - 1);
            }
        }
        return piece;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
