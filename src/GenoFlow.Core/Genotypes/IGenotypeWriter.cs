namespace GenoFlow.Core.Genotypes;

/// <summary>
/// A sink for variants in input order. Output appears only when <see cref="Complete"/> returns: disposing a writer that was not
/// completed (an error, a cancellation) removes everything it wrote, so a failed run never leaves output that looks valid.
/// </summary>
public interface IGenotypeWriter : IDisposable
{
    void Write(VariantInfo variant, ReadOnlySpan<byte> packedRow);

    /// <summary>Flushes and publishes the output atomically (write to a temporary name, then rename).</summary>
    void Complete();
}
