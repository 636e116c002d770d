namespace GenoFlow.Core.Simulation;

/// <summary>
/// Fills chunks of variants. <see cref="CohortSimulator"/> calls <see cref="Generate"/> for consecutive chunks in variant
/// order, one call at a time (a generator may carry state from one chunk to the next), and makes a new generator per run.
/// </summary>
internal interface IVariantGenerator
{
    void Generate(VariantChunk chunk, int start, int count, int rowBytes, ParallelOptions options);
}
