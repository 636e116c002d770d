using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.KMeans;

/// <summary>How the first K centres of a restart are chosen.</summary>
public enum KMeansInit
{
    /// <summary>k-means|| (Bahmani et al. 2012): a few rounds of oversampled candidates, weighted k-means++ on them.</summary>
    KMeansParallel,

    /// <summary>Exact k-means++ (Arthur &amp; Vassilvitskii 2007) over all rows: K passes.</summary>
    KMeansPlusPlus,

    /// <summary>K distinct rows drawn uniformly.</summary>
    Random,
}

/// <summary>
/// What <c>genoflow kmeans</c> computes. <see cref="MaxSteps"/> null means sklearn's default of 100 passes' worth of
/// batches (⌊100·N/B⌋). <see cref="Tolerance"/>: a restart stops when the summed squared movement of the centres in one
/// step is at most Tolerance × the mean per-column variance of the data (sklearn MiniBatchKMeans' tol; 0 turns it off).
/// <see cref="MaxNoImprovement"/>: it also stops after this many steps without a new minimum of the smoothed batch
/// inertia (sklearn's heuristic; 0 turns it off). <see cref="LloydPasses"/>: full Lloyd passes after the mini-batch
/// steps (each moves every centre to the mean of its rows).
/// </summary>
public sealed record KMeansSettings(
    int K,
    int BatchSize = 1024,
    long? MaxSteps = null,
    double Tolerance = 0,
    int MaxNoImprovement = 10,
    KMeansInit Init = KMeansInit.KMeansParallel,
    int Restarts = 3,
    ulong Seed = 1,
    bool Standardize = false,
    int InitRounds = 5,
    int LloydPasses = 1)
{
    public const int DefaultRowsPerShard = 65_536;

    /// <summary>The initialisation a name (as `--init` and pipeline files spell it: kmeans-parallel, kmeans++, random) stands for; kmeans-parallel when null.</summary>
    public static KMeansInit InitNamed(string? name) => name switch
    {
        "kmeans++" => KMeansInit.KMeansPlusPlus,
        "random" => KMeansInit.Random,
        _ => KMeansInit.KMeansParallel,
    };

    /// <summary>Oversampling factor l of k-means|| (candidates expected per round).</summary>
    public double Oversampling => 2.0 * K;

    /// <summary>
    /// Rows k-means|| initialises from: sklearn MiniBatchKMeans' init_size, 3 batches (at least 3K). Tables with more
    /// rows are initialised from a uniform sample of this many (<see cref="KMeansParallelSample"/>), not from all rows.
    /// </summary>
    public long InitSampleRows(long rows) => Math.Max(3L * EffectiveBatch(rows), 3L * K);

    public void Validate()
    {
        if (K < 1)
        {
            throw new StageParameterException("k", "must be at least 1");
        }
        if (BatchSize < 1)
        {
            throw new StageParameterException("batch-size", "must be at least 1");
        }
        if (MaxSteps is < 1)
        {
            throw new StageParameterException("max-steps", "must be at least 1");
        }
        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
        {
            throw new StageParameterException("tolerance", "must be a finite number >= 0");
        }
        if (MaxNoImprovement < 0)
        {
            throw new StageParameterException("max-no-improvement", "must be >= 0");
        }
        if (Restarts < 1)
        {
            throw new StageParameterException("restarts", "must be at least 1");
        }
        if (LloydPasses < 0)
        {
            throw new StageParameterException("lloyd-passes", "must be >= 0");
        }
        if (InitRounds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InitRounds), InitRounds, "k-means|| needs at least 1 round");
        }
    }

    /// <summary>Step limit of one restart on <paramref name="rows"/> rows: --max-steps, else ⌊100·N/B⌋ as sklearn's max_iter = 100.</summary>
    public long StepsFor(long rows) => MaxSteps ?? Math.Max(1, 100 * rows / EffectiveBatch(rows));

    /// <summary>The batch size used: at most the number of rows, as sklearn does.</summary>
    public int EffectiveBatch(long rows) => (int)Math.Min(BatchSize, Math.Max(1, rows));
}
