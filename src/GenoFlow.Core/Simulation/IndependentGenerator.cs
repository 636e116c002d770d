using System.Buffers;

namespace GenoFlow.Core.Simulation;

/// <summary>The independent-variant model (documented on <see cref="CohortSimulator"/>): each variant from its own stream.</summary>
internal sealed class IndependentGenerator(CohortSettings settings, int[] groupStarts) : IVariantGenerator
{
    public void Generate(VariantChunk chunk, int start, int count, int rowBytes, ParallelOptions options) =>
        Parallel.For(0, count, options, j => chunk.Alleles[j] = DrawVariant(start + j, chunk.Rows.AsSpan(j * rowBytes, rowBytes)));

    private (byte Ref, byte Alt, int Gap) DrawVariant(int index, Span<byte> row)
    {
        var rng = new Xoshiro256(settings.Seed, (ulong)index);
        int k = settings.Populations;
        double f = settings.Fst;
        double p = CohortSimulator.AncestralFrequencyMin + ((CohortSimulator.AncestralFrequencyMax - CohortSimulator.AncestralFrequencyMin) * rng.NextDouble());
        GenotypeSampler.Thresholds[] thresholds = ArrayPool<GenotypeSampler.Thresholds>.Shared.Rent(k);
        try
        {
            if (f == 0)
            {
                thresholds.AsSpan(0, k).Fill(GenotypeSampler.Thresholds.ForAltFrequency(p));
            }
            else
            {
                double a = p * (1 - f) / f;
                double b = (1 - p) * (1 - f) / f;
                for (int g = 0; g < k; g++)
                {
                    thresholds[g] = GenotypeSampler.Thresholds.ForAltFrequency(rng.NextBeta(a, b));
                }
            }
            byte refBase = (byte)rng.NextInt(4);
            byte altBase = (byte)((refBase + 1 + rng.NextInt(3)) & 3);
            int gap = 1 + rng.NextInt(CohortSimulator.MaxPositionGap);
            // Batch 0 goes on with the variant's stream (the bytes every golden test was made with); a later batch draws its
            // samples from a stream of its own.
            var samples = settings.Batch == 0 ? rng : new Xoshiro256(settings.SampleSeed, (ulong)index);
            GenotypeSampler.Fill(row, groupStarts, thresholds.AsSpan(0, k), ref samples);
            GenotypeSampler.ApplyMissing(row, settings.Samples, settings.MissingRate, ref samples);
            return (refBase, altBase, gap);
        }
        finally
        {
            ArrayPool<GenotypeSampler.Thresholds>.Shared.Return(thresholds);
        }
    }
}
