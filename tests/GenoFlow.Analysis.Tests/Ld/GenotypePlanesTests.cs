using GenoFlow.Analysis.Ld;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Tests.Ld;

/// <summary>
/// The pair kernel (dense hom products plus corrections over the other variant's missing words) against the masked
/// every-word reference and against sums taken sample by sample from the codes, on awkward shapes.
/// </summary>
public sealed class GenotypePlanesTests
{
    [Theory]
    [InlineData(1, 0.0, false)]
    [InlineData(3, 0.2, true)]
    [InlineData(63, 0.01, false)]
    [InlineData(64, 0.5, true)]
    [InlineData(65, 0.01, true)]
    [InlineData(1003, 0.01, false)]
    [InlineData(1003, 1.0, false)]
    [InlineData(8195, 0.03, true)]
    [InlineData(4096 * 64 + 5, 0.0, false)]
    public void Pair_sums_equal_the_reference_and_the_per_sample_sums(int samples, double missing, bool withKeepMask)
    {
        var random = new Random(samples * 7 + (withKeepMask ? 1 : 0));
        byte[] keep = withKeepMask ? Row(Enumerable.Range(0, samples).Select(_ => random.NextDouble() < 0.8 ? (sbyte)0 : (sbyte)2).ToArray()) : [];
        var genotypes = Enumerable.Range(0, 6).Select(_ => Genotypes(random, samples, missing)).ToArray();
        var planes = genotypes.Select(g => GenotypePlanes.FromRow(Row(g), samples, keep)).ToArray();
        for (int i = 0; i < planes.Length; i++)
        {
            var (called, homRef, homAlt) = PerSampleCounts(genotypes[i], keep);
            Assert.Equal((called, homRef, homAlt), planes[i].Counts());
            for (int j = 0; j < planes.Length; j++)
            {
                var fast = new int[6];
                var reference = new int[6];
                GenotypePlanes.AddPairSums(planes[i], planes[j], fast);
                GenotypePlanes.AddPairSumsReference(planes[i], planes[j], reference);
                Assert.Equal(reference, fast);
                var scalar = GenotypePlanes.HomProductsScalar(planes[i].Hom, planes[j].Hom, planes[i].HomRef, planes[j].HomRef, 0);
                if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
                {
                    Assert.Equal(scalar, GenotypePlanes.HomProductsAvx2(planes[i].Hom, planes[j].Hom, planes[i].HomRef, planes[j].HomRef));
                }
                Assert.Equal(reference[5], scalar.HomBoth - 2 * scalar.Unlike);
                Assert.Equal(PerSampleSums(genotypes[i], genotypes[j], keep), fast);
            }
        }
    }

    [Fact]
    public void Even_bits_with_and_without_bmi2_agree()
    {
        var random = new Random(5);
        ulong[] values = [0, ulong.MaxValue, 0x5555555555555555UL, 0xAAAAAAAAAAAAAAAAUL, .. Enumerable.Range(0, 1000).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63))];
        foreach (ulong x in values)
        {
            uint expected = 0;
            for (int b = 0; b < 32; b++)
            {
                expected |= (uint)((x >> (2 * b)) & 1) << b;
            }
            Assert.Equal(expected, GenotypePlanes.EvenPortable(x));
            Assert.Equal(expected, GenotypePlanes.Even(x));
        }
    }

    private static sbyte[] Genotypes(Random random, int samples, double missing) =>
        Enumerable.Range(0, samples).Select(_ => random.NextDouble() < missing ? (sbyte)-1 : (sbyte)random.Next(3)).ToArray();

    private static byte[] Row(sbyte[] altCounts)
    {
        var row = new byte[PackedGenotypes.RowBytes(altCounts.Length)];
        PackedGenotypes.Pack(altCounts, row);
        return row;
    }

    /// <summary>A keep row is packed from 2 (code 0b00: left out) and 0 (code 0b11: counted).</summary>
    private static bool Counted(byte[] keep, int s) => keep.Length == 0 || PackedGenotypes.GetCode(keep, s) == 0b11;

    /// <summary>PLINK 2's r² coding: hom REF +1, het 0, hom ALT −1.</summary>
    private static int X(sbyte altCount) => 1 - altCount;

    private static (int, int, int) PerSampleCounts(sbyte[] g, byte[] keep)
    {
        int called = 0, homRef = 0, homAlt = 0;
        for (int s = 0; s < g.Length; s++)
        {
            if (Counted(keep, s) && g[s] >= 0)
            {
                called++;
                homRef += g[s] == 0 ? 1 : 0;
                homAlt += g[s] == 2 ? 1 : 0;
            }
        }
        return (called, homRef, homAlt);
    }

    private static int[] PerSampleSums(sbyte[] a, sbyte[] b, byte[] keep)
    {
        var sums = new int[6];
        for (int s = 0; s < a.Length; s++)
        {
            if (Counted(keep, s) && a[s] >= 0 && b[s] >= 0)
            {
                sums[0]++;
                sums[1] += X(a[s]);
                sums[2] += X(a[s]) * X(a[s]);
                sums[3] += X(b[s]);
                sums[4] += X(b[s]) * X(b[s]);
                sums[5] += X(a[s]) * X(b[s]);
            }
        }
        return sums;
    }
}
