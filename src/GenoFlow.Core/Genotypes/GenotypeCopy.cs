namespace GenoFlow.Core.Genotypes;

/// <summary>Streams every variant of a reader into a writer: the whole of import and export.</summary>
public static class GenotypeCopy
{
    /// <summary>Copies all variants and completes the writer; returns the number of variants copied.</summary>
    public static long CopyAll(IGenotypeReader reader, IGenotypeWriter writer, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        byte[] row = new byte[PackedGenotypes.RowBytes(reader.Samples.Count)];
        long variants = 0;
        while (reader.ReadNext(out VariantInfo? variant, row))
        {
            writer.Write(variant, row);
            // Checking every variant is cheap next to the row; reporting every 1024 keeps the display quiet.
            if ((++variants & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(reader.Progress);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        writer.Complete();
        progress?.Report(1.0);
        return variants;
    }
}
