using System.Numerics;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// One packed row (<see cref="PackedGenotypes"/>) split into three bit planes over its counted samples, one bit per
/// sample: <see cref="Called"/>, <see cref="Hom"/> (hom REF or hom ALT) and <see cref="HomRef"/>. In PLINK 2's r² coding
/// (hom REF +1, het 0, hom ALT −1) x = HomRef − (Hom ∧ ¬HomRef), x² = Hom, so every sum over jointly called samples is
/// a few popcounts (as plink2_ld.cc does with its hom / ref2het planes).
/// </summary>
internal sealed class GenotypePlanes
{
    // Per packed byte (4 samples): bits 0-3 called, 4-7 hom, 8-11 hom REF.
    private static readonly ushort[] ByteTable = BuildTable();

    private GenotypePlanes(int words)
    {
        Called = new ulong[words];
        Hom = new ulong[words];
        HomRef = new ulong[words];
    }

    public ulong[] Called { get; }

    public ulong[] Hom { get; }

    public ulong[] HomRef { get; }

    /// <summary>Planes of <paramref name="row"/> over the samples <paramref name="keepMask"/> keeps (all when empty).</summary>
    public static GenotypePlanes FromRow(ReadOnlySpan<byte> row, int sampleCount, ReadOnlySpan<byte> keepMask)
    {
        Debug.Assert(row.Length == PackedGenotypes.RowBytes(sampleCount) && (keepMask.IsEmpty || keepMask.Length == row.Length));
        var planes = new GenotypePlanes((sampleCount + 63) >> 6);
        for (int i = 0; i < row.Length; i++)
        {
            int bits = ByteTable[row[i]];
            ulong keep = keepMask.IsEmpty ? 0xF : (ulong)(ByteTable[keepMask[i]] >> 8);
            int word = i >> 4, shift = (i & 15) << 2;
            planes.Called[word] |= ((ulong)bits & keep & 0xF) << shift;
            planes.Hom[word] |= ((ulong)(bits >> 4) & keep & 0xF) << shift;
            planes.HomRef[word] |= ((ulong)(bits >> 8) & keep & 0xF) << shift;
        }
        int used = sampleCount & 63;
        if (used != 0)
        {
            // Trailing bits are code 0b00 (hom ALT); they are no samples.
            ulong tail = (1UL << used) - 1;
            planes.Called[^1] &= tail;
            planes.Hom[^1] &= tail;
            planes.HomRef[^1] &= tail;
        }
        return planes;
    }

    /// <summary>(called, hom REF, hom ALT) over the counted samples.</summary>
    public (int Called, int HomRef, int HomAlt) Counts()
    {
        int called = 0, homRef = 0, hom = 0;
        for (int w = 0; w < Called.Length; w++)
        {
            called += BitOperations.PopCount(Called[w]);
            homRef += BitOperations.PopCount(HomRef[w]);
            hom += BitOperations.PopCount(Hom[w]);
        }
        return (called, homRef, hom - homRef);
    }

    /// <summary>Adds (n, Σa, Σa², Σb, Σb², Σab) over the samples called in both to <paramref name="sums"/>.</summary>
    public static void AddPairSums(GenotypePlanes a, GenotypePlanes b, Span<int> sums)
    {
        int n = 0, sumA = 0, ssqA = 0, sumB = 0, ssqB = 0, homBoth = 0, unlike = 0;
        for (int w = 0; w < a.Called.Length; w++)
        {
            ulong both = a.Called[w] & b.Called[w];
            ulong homA = a.Hom[w] & both, homB = b.Hom[w] & both;
            ulong refA = a.HomRef[w] & both, refB = b.HomRef[w] & both;
            n += BitOperations.PopCount(both);
            ssqA += BitOperations.PopCount(homA);
            ssqB += BitOperations.PopCount(homB);
            sumA += 2 * BitOperations.PopCount(refA) - BitOperations.PopCount(homA);
            sumB += 2 * BitOperations.PopCount(refB) - BitOperations.PopCount(homB);
            ulong homAB = homA & homB;
            homBoth += BitOperations.PopCount(homAB);
            unlike += BitOperations.PopCount(homAB & (refA ^ refB));
        }
        sums[0] += n;
        sums[1] += sumA;
        sums[2] += ssqA;
        sums[3] += sumB;
        sums[4] += ssqB;
        sums[5] += homBoth - 2 * unlike;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int b = 0; b < 256; b++)
        {
            int called = 0, hom = 0, homRef = 0;
            for (int s = 0; s < 4; s++)
            {
                int code = (b >> (2 * s)) & 3;
                called |= (code != PackedGenotypes.Missing ? 1 : 0) << s;
                hom |= (code is PackedGenotypes.HomRef or PackedGenotypes.HomAlt ? 1 : 0) << s;
                homRef |= (code == PackedGenotypes.HomRef ? 1 : 0) << s;
            }
            table[b] = (ushort)(called | (hom << 4) | (homRef << 8));
        }
        return table;
    }
}
