using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// Turns genotype probabilities into hard calls exactly as PLINK 2 (2.00a3) does on import (plink2_import.cc,
/// Bgen11GenoToPgenThread and Bgen13GenoToPgenThread). Dosages are integers on PLINK 2's scale, 16384 per allele copy
/// (0..32768 for a diploid):
/// <list type="bullet">
/// <item>BGEN v1.2/v1.3 (B-bit probabilities, denominator 2^B − 1): dosage = ⌊(16384 · x + 2^(B−1)) / (2^B − 1)⌋
/// (16384 · x for B = 1), x being the expected allele count times the denominator (2·P(AA) + P(AB) unphased,
/// P(hap1) + P(hap2) phased, 2·P(A) haploid). This is plink2's "round", which its kBgenMagicNums compute; adding
/// 2^(B−1), half the denominator plus one half, rounds up values a hair below .5 too (16384 · 253 / 255 = 16255.498
/// gives 16256), and that decides calls at the threshold.</item>
/// <item>BGEN v1.1 (three 16-bit probabilities over 32768): dosage = 16384·(P(AB) + 2·P(BB)) / (P(AA) + P(AB) + P(BB)),
/// rounded half to even, i.e. probabilities that do not sum to 1 are renormalised; all three zero means missing.</item>
/// <item>The call is the genotype nearest the dosage, or missing when the dosage is farther from it than the threshold
/// T: with t = (int)(T · 16384 · (1 + 2^-44)) (plink2's conversion of --hard-call-threshold, default 0.1 → 1638) and
/// r = dosage mod 16384, the call is missing when |r − 8192| &lt; 8192 − t, i.e. when t &lt; r &lt; 16384 − t.
/// A dosage exactly t from the nearest genotype is called.</item>
/// </list>
/// </summary>
public sealed class HardCallRule
{
    public const double DefaultThreshold = 0.1;

    private const uint DosageMid = 16384;
    private const uint Dosage4th = 8192;
    private const uint DosageMax = 32768;

    private readonly uint _halfdistLimit;
    private readonly byte[]?[] _tables = new byte[17][];

    public HardCallRule(double threshold = DefaultThreshold)
    {
        if (!(threshold >= 0 && threshold < 0.5 - Math.Pow(2, -44)))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the hard-call threshold must be at least 0 and below 0.5");
        }
        Threshold = threshold;
        uint thresholdInt = (uint)(threshold * ((1 + Math.Pow(2, -44)) * DosageMid));
        _halfdistLimit = Dosage4th - thresholdInt;
    }

    public double Threshold { get; }

    /// <summary>The packed code (<see cref="PackedGenotypes"/>) of an ALT dosage on the 0..32768 scale.</summary>
    public byte CodeFromDosage(uint altDosage)
    {
        uint rem = altDosage & (DosageMid - 1);
        uint halfdist = rem >= Dosage4th ? rem - Dosage4th : Dosage4th - rem;
        if (halfdist < _halfdistLimit)
        {
            return PackedGenotypes.Missing;
        }
        return PackedGenotypes.CodeByAltCount[(int)((altDosage + Dosage4th) / DosageMid)];
    }

    /// <summary>A v1.2/v1.3 expected count x (in units of 1/mask, 0..2·mask) as a dosage, rounded as plink2 rounds it.</summary>
    public static uint DosageFromNumerator(ulong x, ulong mask) =>
        mask == 1 ? (uint)(x * DosageMid) : (uint)(((x * DosageMid) + ((mask + 1) / 2)) / mask);

    /// <summary>
    /// The ALT call of a v1.2/v1.3 sample from the expected count x of the REF allele (in units of 1/mask, 0..2·mask).
    /// plink2 rounds the first allele's dosage, calls it, and then swaps REF/REF and ALT/ALT (its bgen-1.2 import
    /// counts the first allele); the rounding is not symmetric, so the ALT dosage is never rounded directly.
    /// </summary>
    public byte CodeFromRefNumerator(ulong refNumerator, ulong mask) => SwapHomozygotes(CodeFromDosage(DosageFromNumerator(refNumerator, mask)));

    /// <summary>
    /// Codes by REF numerator 0..2·mask for bit depths up to 16: the ALT call of a biallelic sample is
    /// <c>table[2·P(AA) + P(AB)]</c> (unphased) or <c>table[P(hap1 = A) + P(hap2 = A)]</c> (phased).
    /// </summary>
    public byte[] CodesByRefNumerator(int bits)
    {
        if (bits is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "tables are built for 1 to 16 bits");
        }
        byte[]? table = Volatile.Read(ref _tables[bits]);
        if (table is null)
        {
            ulong mask = (1UL << bits) - 1;
            table = new byte[(2 * mask) + 1];
            for (ulong x = 0; x <= 2 * mask; x++)
            {
                table[x] = CodeFromRefNumerator(x, mask);
            }
            Volatile.Write(ref _tables[bits], table);
        }
        return table;
    }

    /// <summary>A call of the first allele's count as a call of the other allele's count: 0 ↔ 2 copies.</summary>
    private static byte SwapHomozygotes(byte code) => code switch
    {
        PackedGenotypes.HomRef => PackedGenotypes.HomAlt,
        PackedGenotypes.HomAlt => PackedGenotypes.HomRef,
        _ => code,
    };

    /// <summary>The ALT (second allele) call of a v1.1 sample from its three 16-bit probabilities.</summary>
    public byte CodeFromLayout1(uint p0, uint p1, uint p2)
    {
        uint sum = p0 + p1 + p2;
        if (sum == 0)
        {
            return PackedGenotypes.Missing;
        }
        ulong numer = ((ulong)DosageMid * p1) + ((ulong)DosageMax * p2);
        uint dosage;
        if (sum == DosageMax)
        {
            dosage = (uint)((numer + DosageMid) / DosageMax) - (numer % (2 * DosageMax) == DosageMid ? 1u : 0u);
        }
        else
        {
            dosage = (uint)((numer + (sum / 2)) / sum);
            dosage -= (2 * (numer - ((ulong)dosage * sum)) == sum) ? dosage % 2 : 0;
        }
        return CodeFromDosage(dosage);
    }
}
