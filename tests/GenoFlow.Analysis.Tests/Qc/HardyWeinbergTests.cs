using GenoFlow.Analysis.Qc;

namespace GenoFlow.Analysis.Tests.Qc;

public class HardyWeinbergTests
{
    /// <summary>(het, hom REF, hom ALT) and the P that plink2 2.00a3.5 --hardy prints (6 significant digits).</summary>
    public static TheoryData<int, int, int, double> Plink2Values => new()
    {
        { 0, 5, 5, 0.00136396 },
        { 10, 3, 2, 0.325979 },
        { 3, 40, 2, 0.0132416 },
        { 57, 23, 20, 0.228788 },
        { 120, 400, 10, 0.707044 },
        { 481, 260, 259, 0.229884 },
        { 1, 998, 1, 0.00150075 },
        { 900, 800, 300, 0.0774991 },
        { 0, 1990, 5, 9.40353e-16 },
        { 1, 0, 0, 1 },
        { 1, 1, 0, 1 },
        { 2, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Plink2Values))]
    public void Agrees_with_plink2_to_the_digits_it_prints(int het, int homRef, int homAlt, double plink2)
    {
        // plink2 prints 6 significant digits: a rounding error of at most 5e-6 relative.
        double p = HardyWeinberg.ExactP(het, homRef, homAlt);
        Assert.True(Math.Abs(p - plink2) <= 5.01e-6 * plink2, $"P({het}, {homRef}, {homAlt}) = {p:R}, plink2 prints {plink2}");
        Assert.Equal(p, HardyWeinberg.ExactP(het, homAlt, homRef));
    }

    [Fact]
    public void Empty_and_monomorphic_variants_give_1_and_extreme_ones_0_as_plink2()
    {
        Assert.Equal(1, HardyWeinberg.ExactP(0, 0, 0));
        Assert.Equal(1, HardyWeinberg.ExactP(0, 2000, 0));
        Assert.Equal(1, HardyWeinberg.ExactP(0, 0, 17));
        // plink2 prints 0 for 1000 x hom REF + 1000 x hom ALT and no het.
        Assert.Equal(0, HardyWeinberg.ExactP(0, 1000, 1000));
    }

    [Theory]
    [InlineData(7, 20)]
    [InlineData(30, 60)]
    [InlineData(51, 101)]
    public void Matches_the_textbook_enumeration_of_every_configuration(int rareAlleles, int samples)
    {
        // P(h | n, rare) = 2^h n! rare! (2n - rare)! / ((2n)! h! homr! homc!), over h with the parity of rare.
        double LogProbability(int h)
        {
            int homr = (rareAlleles - h) / 2, homc = samples - h - homr;
            return h * Math.Log(2) + LogFactorial(samples) + LogFactorial(rareAlleles) + LogFactorial(2 * samples - rareAlleles)
                - LogFactorial(2 * samples) - LogFactorial(h) - LogFactorial(homr) - LogFactorial(homc);
        }
        int[] hets = Enumerable.Range(0, rareAlleles + 1).Where(h => (rareAlleles - h) % 2 == 0 && samples - h - (rareAlleles - h) / 2 >= 0).ToArray();
        Assert.Equal(1, hets.Sum(h => Math.Exp(LogProbability(h))), 9);
        foreach (int observed in hets)
        {
            double pObserved = Math.Exp(LogProbability(observed));
            double expected = hets.Select(h => Math.Exp(LogProbability(h))).Where(p => p <= pObserved * (1 + 1e-9)).Sum();
            int homr = (rareAlleles - observed) / 2;
            double actual = HardyWeinberg.ExactP(observed, homr, samples - observed - homr);
            Assert.True(Math.Abs(actual - Math.Min(1, expected)) <= 1e-9 * Math.Max(expected, 1e-300) + 1e-15, $"h={observed}: {actual:R} vs enumeration {expected:R}");
        }
    }

    private static double LogFactorial(int n) => Enumerable.Range(2, Math.Max(0, n - 1)).Sum(i => Math.Log(i));
}
