namespace GenoFlow.Analysis.Execution;

/// <summary>Tile (region, block) of a dataset's grid. Tile order is region-major: (0,0), (0,1), …, (1,0), ….</summary>
public readonly record struct TileId(int Region, int Block)
{
    public override string ToString() => $"r{Region}_b{Block}";
}
