namespace GenoFlow.Analysis.KMeans;

/// <summary>One restart: its steps, why it stopped and its inertia after the final full pass.</summary>
public sealed record KMeansRestart(int Restart, long Steps, string StopReason, double Inertia);

/// <summary>One mini-batch step of the kept restart: batch inertia per row, its moving average (sklearn's EWA) and the summed squared centre movement.</summary>
public sealed record KMeansTracePoint(long Step, double BatchInertia, double SmoothedInertia, double CentreShift);

/// <summary>
/// The restart with the lowest inertia. <see cref="Centres"/> are in k-means space (standardised when asked),
/// <see cref="OriginalCentres"/> in the table's units; inertia and distances are in k-means space.
/// <see cref="AssignmentPieces"/> are the scratch files holding <c>assignments.tsv</c>'s lines, in shard order.
/// </summary>
public sealed record KMeansResult(
    KMeansSettings Settings,
    long Rows,
    IReadOnlyList<string> Columns,
    bool Standardized,
    double[] Centres,
    double[] OriginalCentres,
    double Inertia,
    long[] ClusterSizes,
    double[] ClusterInertia,
    int BestRestart,
    IReadOnlyList<KMeansRestart> Restarts,
    IReadOnlyList<KMeansTracePoint> Trace,
    IReadOnlyList<string> AssignmentPieces)
{
    public int K => Settings.K;
}
