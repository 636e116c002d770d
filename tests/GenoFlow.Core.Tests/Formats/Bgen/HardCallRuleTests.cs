using GenoFlow.Core.Formats.Bgen;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Tests.Formats.Bgen;

public sealed class HardCallRuleTests
{
    /// <summary>
    /// plink2's BGEN v1.3 rounding, copied from plink2_import.cc (kBgenMagicNums: preadd, mult, postshift by bit depth):
    /// dosage = (preadd + mult · x) &gt;&gt; postshift. The reference the exact formula must agree with.
    /// </summary>
    private static readonly (ulong PreAdd, ulong Mult, int PostShift)[] Plink2Magic =
    [
        (0, 0, 0), (0, 16384, 0), (349525, 2863311531, 19), (374491, 1227133513, 19), (1118481, 2290649225, 21),
        (1150051, 1108378657, 21), (2197016, 1090785345, 22), (1073345, 270549121, 21), (16843009, 2155905153, 25),
        (2109464, 134480385, 22), (33652832, 1074791425, 26), (262528, 4196353, 19), (2098688, 16781313, 22),
        (16783360, 67117057, 25), (134242305, 268451841, 28), (1073840131, 1073774593, 31), (4295032834, 2147516417, 33),
        (524300, 131073, 20), (2097176, 262145, 22), (8388656, 524289, 24), (33554528, 1048577, 26),
        (134217920, 2097153, 28), (536871296, 4194305, 30), (2147484416, 8388609, 32), (8589936128, 16777217, 34),
        (34359741440, 33554433, 36), (137438959616, 67108865, 38), (549755826176, 134217729, 40), (2199023280128, 268435457, 42),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(16)]
    public void Rounding_equals_plink2s_for_every_numerator_up_to_16_bits(int bits)
    {
        ulong mask = (1UL << bits) - 1;
        (ulong preAdd, ulong mult, int shift) = Plink2Magic[bits];
        for (ulong x = 0; x <= 2 * mask; x++)
        {
            Assert.Equal((uint)((preAdd + (mult * x)) >> shift), HardCallRule.DosageFromNumerator(x, mask));
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(24)]
    [InlineData(28)]
    public void Rounding_equals_plink2s_on_a_sample_of_numerators_up_to_28_bits(int bits)
    {
        ulong mask = (1UL << bits) - 1;
        (ulong preAdd, ulong mult, int shift) = Plink2Magic[bits];
        var random = new Random(bits);
        for (int i = 0; i < 200_000; i++)
        {
            ulong x = (ulong)random.NextInt64(0, (long)(2 * mask) + 1);
            Assert.Equal((uint)((preAdd + (mult * x)) >> shift), HardCallRule.DosageFromNumerator(x, mask));
        }
    }

    [Theory]
    [InlineData(0u, PackedGenotypes.HomRef)]
    [InlineData(1638u, PackedGenotypes.HomRef)]
    [InlineData(1639u, PackedGenotypes.Missing)]
    [InlineData(8192u, PackedGenotypes.Missing)]
    [InlineData(14745u, PackedGenotypes.Missing)]
    [InlineData(14746u, PackedGenotypes.Het)]
    [InlineData(16384u + 1638u, PackedGenotypes.Het)]
    [InlineData(16384u + 1639u, PackedGenotypes.Missing)]
    [InlineData(32768u - 1638u, PackedGenotypes.HomAlt)]
    [InlineData(32768u, PackedGenotypes.HomAlt)]
    public void The_default_threshold_calls_dosages_within_1638_of_a_genotype(uint dosage, byte expected)
    {
        Assert.Equal(expected, new HardCallRule().CodeFromDosage(dosage));
    }

    [Fact]
    public void Threshold_zero_calls_only_exact_dosages_and_0_49_calls_all_but_the_midpoints()
    {
        var exact = new HardCallRule(0);
        Assert.Equal(PackedGenotypes.Het, exact.CodeFromDosage(16384));
        Assert.Equal(PackedGenotypes.Missing, exact.CodeFromDosage(16385));
        var loose = new HardCallRule(0.49);
        Assert.Equal(PackedGenotypes.Het, loose.CodeFromDosage(16384 + 8000));
        Assert.Equal(PackedGenotypes.Missing, loose.CodeFromDosage(8192));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardCallRule(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardCallRule(-0.01));
    }

    [Fact]
    public void The_lookup_tables_call_the_rounded_ref_dosage_and_swap_it_to_an_alt_call_as_plink2_does()
    {
        var rule = new HardCallRule(0.2);
        for (int bits = 1; bits <= 16; bits++)
        {
            ulong mask = (1UL << bits) - 1;
            (ulong preAdd, ulong mult, int shift) = Plink2Magic[bits];
            byte[] table = rule.CodesByRefNumerator(bits);
            for (ulong x = 0; x <= 2 * mask; x++)
            {
                byte refCall = rule.CodeFromDosage((uint)((preAdd + (mult * x)) >> shift));
                byte expected = refCall == PackedGenotypes.HomRef ? PackedGenotypes.HomAlt : refCall == PackedGenotypes.HomAlt ? PackedGenotypes.HomRef : refCall;
                Assert.Equal(expected, table[x]);
            }
        }
        // 8 bits, P(AA) = 0, P(AB) = 253/255: the REF dosage 16255.498 rounds to 16256 (1 REF copy, 1 ALT copy);
        // with t = 128 (T = 128.5/16384) that REF dosage, 128 from 16384, is called, while the ALT dosage rounded on its
        // own, 16513, would be 129 away: missing.
        Assert.Equal(PackedGenotypes.Het, new HardCallRule(128.5 / 16384).CodesByRefNumerator(8)[253]);
    }

    [Fact]
    public void Version_1_1_probabilities_are_renormalised_rounded_half_to_even_and_all_zero_is_missing()
    {
        var rule = new HardCallRule();
        Assert.Equal(PackedGenotypes.Missing, rule.CodeFromLayout1(0, 0, 0));
        Assert.Equal(PackedGenotypes.HomRef, rule.CodeFromLayout1(100, 0, 0));
        Assert.Equal(PackedGenotypes.Het, rule.CodeFromLayout1(0, 7, 0));
        Assert.Equal(PackedGenotypes.HomAlt, rule.CodeFromLayout1(0, 0, 32768));
        // Half of a het: dosage 8192, the midpoint, is missing.
        Assert.Equal(PackedGenotypes.Missing, rule.CodeFromLayout1(16384, 16384, 0));
        // P(AB) = 3276/32768 → dosage 1638 exactly: called; 3278 → 1639: missing.
        Assert.Equal(PackedGenotypes.HomRef, rule.CodeFromLayout1(32768 - 3276, 3276, 0));
        Assert.Equal(PackedGenotypes.Missing, rule.CodeFromLayout1(32768 - 3278, 3278, 0));
        // 3277/32768 → 1638.5, a tie, rounds to even 1638: called.
        Assert.Equal(PackedGenotypes.HomRef, rule.CodeFromLayout1(32768 - 3277, 3277, 0));
    }
}
