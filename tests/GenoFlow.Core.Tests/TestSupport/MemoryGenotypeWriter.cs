using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Tests.TestSupport;

/// <summary>Keeps every variant and a copy of its row, for tests that inspect what a producer wrote.</summary>
public sealed class MemoryGenotypeWriter(int sampleCount) : IGenotypeWriter
{
    public int SampleCount { get; } = sampleCount;

    public List<VariantInfo> Variants { get; } = [];

    public List<byte[]> Rows { get; } = [];

    public bool Completed { get; private set; }

    public void Write(VariantInfo variant, ReadOnlySpan<byte> packedRow)
    {
        Assert.Equal(PackedGenotypes.RowBytes(SampleCount), packedRow.Length);
        Variants.Add(variant);
        Rows.Add(packedRow.ToArray());
    }

    public void Complete() => Completed = true;

    public void Dispose()
    {
    }

    /// <summary>ALT-allele counts (-1 missing) of one variant.</summary>
    public sbyte[] AltCounts(int variant)
    {
        var counts = new sbyte[SampleCount];
        PackedGenotypes.Unpack(Rows[variant], counts);
        return counts;
    }
}
