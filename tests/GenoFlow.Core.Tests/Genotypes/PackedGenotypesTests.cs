using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Tests.Genotypes;

public class PackedGenotypesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(1001)]
    public void Pack_then_unpack_gives_back_the_counts(int samples)
    {
        var random = new Random(samples);
        sbyte[] counts = RandomCounts(random, samples);
        byte[] row = new byte[PackedGenotypes.RowBytes(samples)];
        PackedGenotypes.Pack(counts, row);
        sbyte[] back = new sbyte[samples];
        PackedGenotypes.Unpack(row, back);
        Assert.Equal(counts, back);
    }

    [Fact]
    public void Pack_uses_the_plink_bed_codes_lowest_bits_first()
    {
        byte[] row = new byte[2];
        PackedGenotypes.Pack([0, 1, 2, -1, 0], row);
        // sample0 hom REF 11, sample1 het 10, sample2 hom ALT 00, sample3 missing 01 → 01_00_10_11
        Assert.Equal(0b01_00_10_11, row[0]);
        // sample4 hom REF, trailing bits zero
        Assert.Equal(0b00_00_00_11, row[1]);
    }

    [Fact]
    public void SetCode_and_GetCode_agree_with_pack()
    {
        var random = new Random(7);
        sbyte[] counts = RandomCounts(random, 37);
        byte[] packed = new byte[PackedGenotypes.RowBytes(37)];
        PackedGenotypes.Pack(counts, packed);
        byte[] set = new byte[packed.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            PackedGenotypes.SetCode(set, i, counts[i] < 0 ? PackedGenotypes.Missing : PackedGenotypes.CodeByAltCount[counts[i]]);
            Assert.Equal(PackedGenotypes.GetCode(packed, i), PackedGenotypes.GetCode(set, i));
        }
        Assert.Equal(packed, set);
    }

    [Fact]
    public void ClearTrailingBits_keeps_samples_and_zeroes_the_rest()
    {
        byte[] row = [0xFF, 0xFF];
        PackedGenotypes.ClearTrailingBits(row, 5);
        Assert.Equal(new byte[] { 0xFF, 0b0000_0011 }, row);
    }

    [Fact]
    public void Pack_rejects_a_count_outside_0_to_2()
    {
        byte[] row = new byte[1];
        Assert.Throws<ArgumentOutOfRangeException>(() => PackedGenotypes.Pack([3], row));
    }

    internal static sbyte[] RandomCounts(Random random, int samples)
    {
        sbyte[] counts = new sbyte[samples];
        for (int i = 0; i < samples; i++)
        {
            counts[i] = (sbyte)(random.Next(4) - 1);
        }
        return counts;
    }
}
