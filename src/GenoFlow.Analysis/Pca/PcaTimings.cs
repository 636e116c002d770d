using System.Globalization;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// Where a PCA run's time went, in seconds, summed over its passes: what <c>genoflow pca --verbose</c> prints. Scatter
/// phases are wall time on the coordinator from the first request to the last reduce, so they include tile loading
/// (a cache miss reads, checks and decodes the tile from the store), transport and the reduce; the kernel figures are
/// the product kernels' own time summed over tiles (CPU seconds on whichever nodes ran them), so scatter wall time
/// well above kernel time / cores is loading, transport or waiting on the coordinator. The randomized iteration runs one
/// region's X·G beside the previous region's Xᵀ·H (<see cref="PcaJob.ForwardThenTransposed"/>), so its two scatter
/// figures overlap and can add up to more than the run.
/// </summary>
public sealed class PcaTimings
{
    /// <summary>Allele counts and normalisation: one counting scatter, the first to read every tile.</summary>
    public double Normalise { get; set; }

    /// <summary>X·G scatters (wall).</summary>
    public double Forward { get; set; }

    /// <summary>Xᵀ·H scatters (wall).</summary>
    public double Transposed { get; set; }

    public double ForwardKernel { get; set; }

    public double TransposedKernel { get; set; }

    /// <summary>Coordinator work inside the scatters' reduces: summing partials in tile order, projections on the Krylov basis.</summary>
    public double Reduce { get; set; }

    /// <summary>Coordinator: Gram–Schmidt against the basis and the tall-skinny QR of each new block.</summary>
    public double Orthogonalise { get; set; }

    /// <summary>Coordinator: the Ritz values of T after each iteration.</summary>
    public double Ritz { get; set; }

    /// <summary>Scores (Ritz vectors, signs) and the loadings pass.</summary>
    public double ScoresAndLoadings { get; set; }

    public IEnumerable<string> Describe()
    {
        yield return Line("normalise (allele counts; first read of every tile)", Normalise);
        yield return Line("forward X·G scatters (wall)", Forward) + Format($" of which kernels {ForwardKernel:F2} s summed over tiles");
        yield return Line("transposed Xᵀ·H scatters (wall)", Transposed) + Format($" of which kernels {TransposedKernel:F2} s summed over tiles");
        yield return Line("reduce on the coordinator (within the scatters)", Reduce);
        yield return Line("orthogonalisation and tall-skinny QR", Orthogonalise);
        yield return Line("Ritz values", Ritz);
        yield return Line("scores and loadings", ScoresAndLoadings);
    }

    private static string Line(string phase, double seconds) => Format($"pca phase: {phase}: {seconds:F2} s");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
