namespace GenoFlow.Analysis.Shards;

/// <summary>
/// One sample shard in memory: <see cref="Rows"/> consecutive rows of a shard set, each a sample with its feature values
/// (row-major, <see cref="Columns"/> per row) and, when the set has them, its genotypes.
/// </summary>
public sealed class SampleShard
{
    private readonly double[] _values;

    public SampleShard(int index, long firstRow, IReadOnlyList<string> sampleIds, int[] sampleIndices, int columns, double[] values, SampleGenotypes? genotypes)
    {
        ArgumentNullException.ThrowIfNull(sampleIds);
        ArgumentNullException.ThrowIfNull(sampleIndices);
        ArgumentNullException.ThrowIfNull(values);
        if (sampleIndices.Length != sampleIds.Count || values.Length != (long)sampleIds.Count * columns || (genotypes is not null && genotypes.Samples != sampleIds.Count))
        {
            throw new ArgumentException($"shard {index}: {sampleIds.Count} samples, {sampleIndices.Length} sample indices, {values.Length} values for {columns} columns, {genotypes?.Samples} genotype rows");
        }
        Index = index;
        FirstRow = firstRow;
        SampleIds = sampleIds;
        SampleIndices = sampleIndices;
        Columns = columns;
        _values = values;
        Genotypes = genotypes;
    }

    public int Index { get; }

    /// <summary>Index of this shard's first row in the whole set.</summary>
    public long FirstRow { get; }

    public int Rows => SampleIds.Count;

    public IReadOnlyList<string> SampleIds { get; }

    /// <summary>Each row's sample index in the dataset it came from (-1 when it came from a table).</summary>
    public IReadOnlyList<int> SampleIndices { get; }

    public int Columns { get; }

    /// <summary>All feature values, row-major.</summary>
    public ReadOnlySpan<double> Values => _values;

    public SampleGenotypes? Genotypes { get; }

    public ReadOnlySpan<double> Row(int row) => _values.AsSpan(row * Columns, Columns);

    public long SizeBytes => _values.LongLength * sizeof(double) + (long)Rows * (sizeof(int) + 48) + (Genotypes?.SizeBytes ?? 0);
}
