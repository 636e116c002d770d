using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Qc;

namespace GenoFlow.Analysis.Execution;

/// <summary>The one list of tile operations, registered on every node.</summary>
internal static class TileOperations
{
    public static IEnumerable<ITileOperation> All => [new QcCountsOperation(), new LdPairsOperation(), new Pca.ProductOperation()];
}
