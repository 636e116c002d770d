using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// Genotypes of one shard's samples at a set of variants, sample-major: one packed row (<see cref="PackedGenotypes"/>
/// codes) per sample, one 2-bit code per selected variant, so a model can stream a sample's features.
/// </summary>
public sealed class SampleGenotypes
{
    private readonly byte[] _packed;

    public SampleGenotypes(int samples, int variants, byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        Stride = PackedGenotypes.RowBytes(variants);
        if (packed.Length != (long)samples * Stride)
        {
            throw new ArgumentException($"{packed.Length} bytes for {samples} samples x {variants} variants (expected {(long)samples * Stride})", nameof(packed));
        }
        Samples = samples;
        Variants = variants;
        _packed = packed;
    }

    public int Samples { get; }

    public int Variants { get; }

    public int Stride { get; }

    public long SizeBytes => _packed.Length;

    /// <summary>Sample <paramref name="sample"/>'s codes, variant j at bits 2(j mod 4) of byte j / 4.</summary>
    public ReadOnlySpan<byte> Row(int sample) => _packed.AsSpan(sample * Stride, Stride);

    /// <summary>ALT-allele count of one genotype, -1 when missing.</summary>
    public int AltCount(int sample, int variant) => PackedGenotypes.AltCountByCode[PackedGenotypes.GetCode(Row(sample), variant)];
}
