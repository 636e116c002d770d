namespace GenoFlow.Core.Genotypes;

/// <summary>
/// A stream of variants, each with its packed genotype row over all <see cref="Samples"/> (see <see cref="PackedGenotypes"/>).
/// Implementations stream: memory stays bounded whatever the input size. Malformed input raises <see cref="GenoFlowFormatException"/>.
/// </summary>
public interface IGenotypeReader : IDisposable
{
    IReadOnlyList<SampleInfo> Samples { get; }

    /// <summary>Fraction of the input consumed so far (0..1), for progress display.</summary>
    double Progress { get; }

    /// <summary>
    /// Reads the next variant into <paramref name="packedRow"/> (exactly <c>PackedGenotypes.RowBytes(Samples.Count)</c> bytes,
    /// trailing bits zero). Returns false at the end of input.
    /// </summary>
    bool ReadNext([NotNullWhen(true)] out VariantInfo? variant, Span<byte> packedRow);
}
