using GenoFlow.Analysis.KMeans.Operations;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Qc;

namespace GenoFlow.Analysis.Execution;

/// <summary>The one list of operations, registered on every node.</summary>
internal static class KnownOperations
{
    public static IEnumerable<ITileOperation> Tile => [new QcCountsOperation(), new LdPairsOperation(), new Pca.ProductOperation()];

    public static IEnumerable<ISampleShardOperation> SampleShard =>
    [
        new MomentsOperation(), new CostOperation(), new SampleOperation(), new WeightsOperation(), new ChooseOperation(), new PickOperation(),
        new StepOperation(), new AssignOperation(),
        new Training.MomentsOperation(), new Training.LocalFitOperation(), new Training.CurvatureOperation(), new Training.GramOperation(), new Training.ContributionsOperation(), new Training.ScreenOperation(),
    ];
}
