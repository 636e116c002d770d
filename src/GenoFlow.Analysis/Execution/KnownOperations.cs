using GenoFlow.Analysis.KMeans.Operations;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Qc;

namespace GenoFlow.Analysis.Execution;

/// <summary>The one list of operations, registered on every node.</summary>
internal static class KnownOperations
{
    /// <param name="scratch">Where the operations that read or write job pieces resolve a job id.</param>
    public static IEnumerable<ITileOperation> Tile(ScratchRoot scratch) => [new QcCountsOperation(), new LdPairsOperation(), new Pca.ProductOperation(scratch)];

    public static IEnumerable<ISampleShardOperation> SampleShard(ScratchRoot scratch) =>
    [
        new MomentsOperation(), new CostOperation(), new SampleOperation(), new WeightsOperation(), new ChooseOperation(), new PickOperation(),
        new StepOperation(), new AssignOperation(scratch),
        new Training.MomentsOperation(scratch), new Training.LocalFitOperation(scratch), new Training.CurvatureOperation(scratch), new Training.GramOperation(scratch),
        new Training.ContributionsOperation(scratch), new Training.ScreenOperation(scratch), new Training.LeaveOneOutOperation(scratch),
    ];
}
