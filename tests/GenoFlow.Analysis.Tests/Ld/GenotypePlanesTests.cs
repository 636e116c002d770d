using System.Runtime.Intrinsics.X86;
using GenoFlow.Analysis.Ld;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Tests.Ld;

/// <summary>
/// The pair kernels (<see cref="PairCounts"/>: AVX-512, AVX2 and scalar paths, all seven counts and the hom products
/// alone) against each other and the pair sums against sums taken sample by sample from the codes, on awkward shapes:
/// sample counts off the 64-sample word and the 32-word group, missing genotypes, all-missing variants, keep masks.
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
    [InlineData(2048, 0.0, false)]
    [InlineData(2049, 0.002, true)]
    [InlineData(8195, 0.03, true)]
    [InlineData(4096 * 64 + 5, 0.0, false)]
    public void Pair_sums_equal_the_per_sample_sums_on_every_path(int samples, double missing, bool withKeepMask)
    {
        var random = new Random(samples * 7 + (withKeepMask ? 1 : 0));
        byte[] keep = withKeepMask ? Row(Enumerable.Range(0, samples).Select(_ => random.NextDouble() < 0.8 ? (sbyte)0 : (sbyte)2).ToArray()) : [];
        // Variants 0-4 at the given missingness, 5 with no missing genotype, 6 all missing.
        var genotypes = Enumerable.Range(0, 5).Select(_ => Genotypes(random, samples, missing)).Append(Genotypes(random, samples, 0)).Append(Genotypes(random, samples, 1)).ToArray();
        using var planes = new GenotypePlanes(genotypes.Length, samples);
        for (int i = 0; i < genotypes.Length; i++)
        {
            planes.Fill(i, Row(genotypes[i]), keep);
        }
        int stride = planes.Stride;
        // Planes filled without the AVX-512 path (pext or the portable ladder) are the same words and counts.
        using var portable = new GenotypePlanes(genotypes.Length, samples);
        for (int i = 0; i < genotypes.Length; i++)
        {
            portable.Fill(i, Row(genotypes[i]), keep, vector: false);
            Assert.True(planes.Planes(i).SequenceEqual(portable.Planes(i)), $"variant {i}: planes differ between the fill paths");
            Assert.Equal(planes.Counts(i), portable.Counts(i));
        }
        for (int i = 0; i < genotypes.Length; i++)
        {
            Assert.Equal(PerSampleCounts(genotypes[i], keep), planes.Counts(i));
            int reach = genotypes.Length - 1 - i;
            var window = new int[6 * reach];
            planes.AddWindowSums(i, reach, window);
            for (int j = i + 1; j < genotypes.Length; j++)
            {
                Assert.Equal(PerSampleSums(genotypes[i], genotypes[j], keep), window[(6 * (j - i - 1))..(6 * (j - i))]);
            }
            for (int j = 0; j < genotypes.Length; j++)
            {
                var scalar = new int[PairCounts.Count];
                PairCounts.FullScalar(planes.Planes(i), planes.Planes(j), stride, scalar);
                int[] expected = PerSampleSums(genotypes[i], genotypes[j], keep);
                Assert.Equal(expected, new[] { scalar[PairCounts.N], 2 * scalar[PairCounts.RefA] - scalar[PairCounts.HomA], scalar[PairCounts.HomA],
                    2 * scalar[PairCounts.RefB] - scalar[PairCounts.HomB], scalar[PairCounts.HomB], scalar[PairCounts.HomBoth] - 2 * scalar[PairCounts.Unlike] });
                var homScalar = PairCounts.HomProductsScalar(planes.Planes(i), planes.Planes(j), stride);
                Assert.Equal((scalar[PairCounts.HomBoth], scalar[PairCounts.Unlike]), homScalar);
                // The planes' own stride, and 4 words more: whole AVX-512 groups plus an AVX2 tail.
                foreach (int other in new[] { stride, stride + PairCounts.StrideMultiple })
                {
                    ulong[] a = Repad(planes.Planes(i), stride, other), b = Repad(planes.Planes(j), stride, other);
                    var counts = new int[PairCounts.Count];
                    PairCounts.FullScalar(a, b, other, counts);
                    Assert.Equal(scalar, counts);
                    Assert.Equal(homScalar, PairCounts.HomProductsScalar(a, b, other));
                    if (Avx2.IsSupported)
                    {
                        PairCounts.FullAvx2(a, b, other, counts);
                        Assert.Equal(scalar, counts);
                        Assert.Equal(homScalar, PairCounts.HomProductsAvx2(a, b, other));
                    }
                    if (Avx512BW.IsSupported)
                    {
                        PairCounts.FullAvx512(a, b, other, counts);
                        Assert.Equal(scalar, counts);
                        Assert.Equal(homScalar, PairCounts.HomProductsAvx512(a, b, other));
                    }
                }
            }
        }
    }

    /// <summary>Three planes of <paramref name="stride"/> words each, copied into planes of <paramref name="newStride"/> words with zeros after.</summary>
    private static ulong[] Repad(ReadOnlySpan<ulong> planes, int stride, int newStride)
    {
        var copy = new ulong[3 * newStride];
        for (int p = 0; p < 3; p++)
        {
            planes.Slice(p * stride, stride).CopyTo(copy.AsSpan(p * newStride));
        }
        return copy;
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_refused()
    {
        using var planes = new GenotypePlanes(1, 100);
        Assert.Throws<ArgumentException>(() => planes.Fill(0, new byte[24], []));
        Assert.Throws<ArgumentException>(() => planes.Fill(0, new byte[25], new byte[24]));
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
