using System.IO.Hashing;
using MathNet.Numerics.LinearAlgebra;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// The curvature of the averaged objective: Lanczos over scatters of <see cref="CurvatureOperation"/> gives the step
/// size and the top eigenpairs the preconditioner deflates.
/// </summary>
internal static class CurvatureLanczos
{
    private const int LanczosSteps = 20;

    /// <summary>At most this many top eigenpairs are taken out by the preconditioner.</summary>
    private const int MaxDeflated = 8;

    /// <summary>A Ritz pair counts as converged when its residual ‖Hu − λu‖ is below this fraction of λ.</summary>
    private const double RitzTolerance = 0.01;

    /// <summary>
    /// Lanczos with full reorthogonalisation on X̃ᵀX̃/n over the training rows outside fold <paramref name="holdOut"/>
    /// (all of them with <see cref="ShardFeatures.NoFold"/>) from a seeded start: the largest Ritz value, and the
    /// converged top Ritz pairs for the preconditioner. A cross-validation fit needs its own: the rows it leaves out
    /// change the curvature, and the full data's step diverged on folds of a few shards.
    /// </summary>
    public static async Task<CurvatureSpectrum> RunAsync(TrainingJob job, int holdOut)
    {
        int w = job.Parameters + 1;
        double n = 0;
        var basis = new List<double[]>();
        var q = new double[w];
        for (int j = 0; j < w; j++)
        {
            q[j] = XxHash3.HashToUInt64(BitConverter.GetBytes(j), (long)job.Settings.Seed) * (1.0 / ulong.MaxValue) - 0.5;
        }
        Scale(q, 1 / Norm(q));
        var alpha = new List<double>();
        double residual = 0;
        var beta = new List<double>();
        for (int k = 0; k < Math.Min(LanczosSteps, w); k++)
        {
            basis.Add(q);
            string piece = $"lanczos-{k}";
            job.Store.Write<double>(piece, q);
            TrainingPartial[] partials = await job.Scatter(CurvatureOperation.OperationName, s => job.Step(piece, $"{piece}-s{s}", holdOut: holdOut)).ConfigureAwait(false);
            n = partials.Sum(p => p.TrainRows);
            job.Store.Remove(piece);
            var product = new double[w];
            job.ReadPieces(s => $"{piece}-s{s}", (_, part) =>
            {
                for (int j = 0; j < w; j++)
                {
                    product[j] += part[j];
                }
            });
            Scale(product, 1 / n);
            alpha.Add(Dot(product, q));
            for (int pass = 0; pass < 2; pass++)
            {
                foreach (double[] b in basis)
                {
                    double c = Dot(product, b);
                    for (int j = 0; j < w; j++)
                    {
                        product[j] -= c * b[j];
                    }
                }
            }
            residual = Norm(product);
            if (residual < 1e-10 * Math.Abs(alpha[0]) || k == Math.Min(LanczosSteps, w) - 1)
            {
                break;
            }
            beta.Add(residual);
            Scale(product, 1 / residual);
            q = product;
        }
        int m = alpha.Count;
        Matrix<double> tridiagonal = Matrix<double>.Build.Dense(m, m);
        for (int i = 0; i < m; i++)
        {
            tridiagonal[i, i] = alpha[i];
            if (i + 1 < m)
            {
                tridiagonal[i, i + 1] = tridiagonal[i + 1, i] = beta[i];
            }
        }
        var evd = tridiagonal.Evd(Symmetricity.Symmetric);
        int[] order = [.. Enumerable.Range(0, m).OrderByDescending(i => evd.EigenValues[i].Real)];
        var vectors = new List<double[]>();
        var values = new List<double>();
        int next = 0;
        while (next < Math.Min(MaxDeflated, m - 1))
        {
            int i = order[next];
            double value = evd.EigenValues[i].Real;
            // ‖H u − λ u‖ = β_m · |last component of the tridiagonal's eigenvector|.
            if (residual * Math.Abs(evd.EigenVectors[m - 1, i]) > RitzTolerance * value)
            {
                break;
            }
            var u = new double[w];
            for (int k = 0; k < m; k++)
            {
                double c = evd.EigenVectors[k, i];
                for (int j = 0; j < w; j++)
                {
                    u[j] += c * basis[k][j];
                }
            }
            Scale(u, 1 / Norm(u));
            vectors.Add(u);
            values.Add(value);
            next++;
        }
        return new CurvatureSpectrum(evd.EigenValues[order[0]].Real, [.. vectors], [.. values], evd.EigenValues[order[next]].Real);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static void Scale(double[] a, double factor)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] *= factor;
        }
    }
}
