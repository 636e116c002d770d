namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The space k-means works in: x' = (x − Offset) · Scale per column. Identity without --standardize; with it, Offset is
/// the column mean and Scale 1/sd (population sd, as sklearn's StandardScaler; a constant column keeps scale 1).
/// </summary>
internal sealed class FeatureScaling
{
    private FeatureScaling(double[] offset, double[] scale, bool identity)
    {
        Offset = offset;
        Scale = scale;
        IsIdentity = identity;
    }

    public double[] Offset { get; }

    public double[] Scale { get; }

    public bool IsIdentity { get; }

    public int Dimensions => Offset.Length;

    public static FeatureScaling Identity(int dimensions) => new(new double[dimensions], Enumerable.Repeat(1.0, dimensions).ToArray(), true);

    public static FeatureScaling Standardize(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance)
    {
        var scale = new double[mean.Length];
        for (int c = 0; c < scale.Length; c++)
        {
            double sd = Math.Sqrt(variance[c]);
            scale[c] = sd > 0 ? 1 / sd : 1;
        }
        return new(mean.ToArray(), scale, false);
    }

    /// <summary>Writes row <paramref name="x"/> in k-means space into <paramref name="into"/>; returns the row itself when the scaling is the identity.</summary>
    public ReadOnlySpan<double> Apply(ReadOnlySpan<double> x, Span<double> into)
    {
        if (IsIdentity)
        {
            return x;
        }
        for (int c = 0; c < x.Length; c++)
        {
            into[c] = (x[c] - Offset[c]) * Scale[c];
        }
        return into;
    }

    /// <summary>A centre in k-means space back in the table's units.</summary>
    public double[] Unapply(ReadOnlySpan<double> centre)
    {
        var original = new double[centre.Length];
        for (int c = 0; c < centre.Length; c++)
        {
            original[c] = IsIdentity ? centre[c] : centre[c] / Scale[c] + Offset[c];
        }
        return original;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(IsIdentity);
        writer.Write(Dimensions);
        if (!IsIdentity)
        {
            KMeansWire.WriteDoubles(writer, Offset);
            KMeansWire.WriteDoubles(writer, Scale);
        }
    }

    public static FeatureScaling Read(BinaryReader reader)
    {
        bool identity = reader.ReadBoolean();
        int dimensions = reader.ReadInt32();
        if (dimensions is < 1 or > KMeansWire.MaxDimensions)
        {
            throw new InvalidDataException($"a scaling of {dimensions} columns (1 to {KMeansWire.MaxDimensions} allowed)");
        }
        if (identity)
        {
            return Identity(dimensions);
        }
        double[] offset = KMeansWire.ReadDoubles(reader);
        double[] scale = KMeansWire.ReadDoubles(reader);
        if (offset.Length != dimensions || scale.Length != dimensions)
        {
            throw new InvalidDataException($"a scaling of {dimensions} columns carries {offset.Length} offsets and {scale.Length} scales");
        }
        return new FeatureScaling(offset, scale, false);
    }
}
