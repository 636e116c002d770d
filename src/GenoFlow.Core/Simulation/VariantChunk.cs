namespace GenoFlow.Core.Simulation;

/// <summary>
/// A chunk of consecutive variants as a generator fills it: their packed rows back to back (trailing bits zero), and
/// what else each variant drew. <see cref="CohortSimulator"/> writes it out in order.
/// </summary>
internal sealed class VariantChunk(byte[] rows, int capacity)
{
    public byte[] Rows { get; } = rows;

    public (byte Ref, byte Alt, int Gap)[] Alleles { get; } = new (byte, byte, int)[capacity];

    /// <summary>Genetic position of each variant (0 when the model has no map).</summary>
    public double[] CentiMorgans { get; } = new double[capacity];
}
