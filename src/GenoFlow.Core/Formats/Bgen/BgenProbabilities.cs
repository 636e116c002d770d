using System.Buffers.Binary;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// Decodes a decompressed layout-2 genotype block (BGEN v1.2/v1.3, "Genotype data block (Layout 2)"): sample count,
/// allele count, ploidy range, one missing/ploidy byte per sample, phased flag, bit depth B, then the probabilities,
/// B bits each, packed from the lowest bit up. Per sample: unphased, one probability per genotype in colex order
/// of allele counts (for a diploid, genotype {i ≤ j} is number j(j+1)/2 + i) less the last, which is 1 minus the rest;
/// phased, per haplotype one probability per allele less the last. Missing samples and ploidy 0 are missing calls,
/// haploid calls count as homozygous (dosage doubled, as plink2), ploidy above 2 is refused (as plink2 refuses it).
/// </summary>
internal readonly ref struct BgenProbabilities
{
    private readonly string _path;
    private readonly long _blockOffset;
    private readonly long _dataOffset;
    private readonly int _alleleCount;
    private readonly int _length;
    private readonly HardCallRule _rule;
    private readonly int _sampleCount;

    public BgenProbabilities(string path, in BgenBlock block, HardCallRule rule, int sampleCount)
    {
        _path = path;
        _blockOffset = block.Offset;
        _dataOffset = block.DataOffset;
        _alleleCount = block.AlleleCount;
        _length = block.UncompressedLength;
        _rule = rule;
        _sampleCount = sampleCount;
    }

    /// <summary>
    /// <paramref name="data"/> holds the block and 8 zero bytes after it (so 64-bit loads never run past the end);
    /// <paramref name="rows"/> is cleared, AlleleCount − 1 rows of <paramref name="rowBytes"/>.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> data, Span<byte> rows, int rowBytes)
    {
        int n = _sampleCount;
        if (_length < 10 + n)
        {
            throw Error($"the decompressed genotype block holds {_length} bytes; {n} samples need at least {10 + n}");
        }
        uint storedSamples = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (storedSamples != n)
        {
            throw Error($"the genotype block is stored for {storedSamples} samples but the header says {n}");
        }
        int storedAlleles = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (storedAlleles != _alleleCount)
        {
            throw Error($"the genotype block has {storedAlleles} alleles but the variant lists {_alleleCount}");
        }
        int minPloidy = data[6];
        int maxPloidy = data[7];
        if (minPloidy > maxPloidy || maxPloidy > 63)
        {
            throw Error($"ploidy range {minPloidy}..{maxPloidy} is invalid (at most 63, minimum not above maximum)");
        }
        if (maxPloidy > 2)
        {
            throw Error($"ploidy up to {maxPloidy}: only haploid and diploid samples are supported (plink2 refuses polyploid BGEN too)");
        }
        ReadOnlySpan<byte> ploidy = data.Slice(8, n);
        int phased = data[8 + n];
        int bits = data[9 + n];
        if (phased > 1)
        {
            throw Error($"the phased flag is {phased}; expected 0 or 1");
        }
        if (bits is < 1 or > 32)
        {
            throw Error($"bit depth {bits} is outside the 1 to 32 the spec allows");
        }
        long values = 0;
        for (int i = 0; i < n; i++)
        {
            int z = ploidy[i] & 0x3F;
            if (z < minPloidy || z > maxPloidy)
            {
                throw Error($"sample {i + 1} has ploidy {z}, outside the block's range {minPloidy}..{maxPloidy}");
            }
            values += ValueCount(z, phased == 1);
        }
        long expected = 10L + n + (((values * bits) + 7) / 8);
        if (_length != expected)
        {
            throw Error($"the genotype block holds {_length} bytes; {values} probabilities of {bits} bits after {10 + n} bytes of header need {expected}");
        }
        ReadOnlySpan<byte> probabilities = data[(10 + n)..];
        if (_alleleCount == 2 && minPloidy == 2 && maxPloidy == 2 && bits <= 16)
        {
            DecodeBiallelicDiploid(probabilities, ploidy, phased == 1, bits, rows);
        }
        else
        {
            DecodeGeneral(probabilities, ploidy, phased == 1, bits, rows, rowBytes);
        }
    }

    /// <summary>The common case: one table lookup per sample.</summary>
    private void DecodeBiallelicDiploid(ReadOnlySpan<byte> probabilities, ReadOnlySpan<byte> ploidy, bool phased, int bits, Span<byte> row)
    {
        byte[] table = _rule.CodesByRefNumerator(bits);
        uint mask = (1u << bits) - 1;
        for (int i = 0; i < _sampleCount; i++)
        {
            uint a;
            uint b;
            if (bits == 8)
            {
                a = probabilities[2 * i];
                b = probabilities[(2 * i) + 1];
            }
            else
            {
                long bit = 2L * i * bits;
                ulong word = BinaryPrimitives.ReadUInt64LittleEndian(probabilities[(int)(bit >> 3)..]) >> (int)(bit & 7);
                a = (uint)word & mask;
                b = (uint)(word >> bits) & mask;
            }
            byte code;
            if (ploidy[i] != 2)
            {
                code = PackedGenotypes.Missing;
            }
            else if (phased)
            {
                code = table[a + b];
            }
            else
            {
                if (a + b > mask)
                {
                    throw Error($"sample {i + 1}'s probabilities sum above 1 ({a} + {b} > {mask})");
                }
                code = table[(2 * a) + b];
            }
            row[i >> 2] |= (byte)(code << ((i & 3) << 1));
        }
    }

    /// <summary>Any allele count, ploidy 0 to 2 per sample, 1 to 32 bits.</summary>
    private void DecodeGeneral(ReadOnlySpan<byte> probabilities, ReadOnlySpan<byte> ploidy, bool phased, int bits, Span<byte> rows, int rowBytes)
    {
        int k = _alleleCount;
        ulong mask = (1UL << bits) - 1;
        Span<ulong> counts = stackalloc ulong[k];
        long next = 0;
        for (int i = 0; i < _sampleCount; i++)
        {
            int z = ploidy[i] & 0x3F;
            bool missing = (ploidy[i] & 0x80) != 0 || z == 0;
            if (missing)
            {
                next += ValueCount(z, phased);
                for (int a = 1; a < k; a++)
                {
                    SetCode(rows, rowBytes, a - 1, i, PackedGenotypes.Missing);
                }
                continue;
            }
            counts.Clear();
            if (phased || z == 1)
            {
                // Per haplotype: P(allele 0..K-2), the last allele takes the rest. A haploid's counts are doubled.
                for (int h = 0; h < z; h++)
                {
                    ulong sum = 0;
                    for (int a = 0; a < k - 1; a++)
                    {
                        ulong p = Read(probabilities, next++, bits, mask);
                        sum += p;
                        counts[a] += z == 1 ? 2 * p : p;
                    }
                    CheckSum(sum, mask, i);
                    counts[k - 1] += (z == 1 ? 2UL : 1UL) * (mask - sum);
                }
            }
            else
            {
                // Diploid unphased: genotype {x <= y} in colex order, the last genotype takes the rest.
                ulong sum = 0;
                for (int y = 0; y < k; y++)
                {
                    for (int x = 0; x <= y; x++)
                    {
                        ulong p = x == k - 1 ? mask - sum : Read(probabilities, next++, bits, mask);
                        if (x != k - 1)
                        {
                            sum += p;
                            CheckSum(sum, mask, i);
                        }
                        counts[x] += p;
                        counts[y] += p;
                    }
                }
            }
            // The row of ALT a is called from the count of everything else, as plink2 calls the REF count.
            for (int a = 1; a < k; a++)
            {
                SetCode(rows, rowBytes, a - 1, i, _rule.CodeFromRefNumerator((2 * mask) - counts[a], mask));
            }
        }
    }

    /// <summary>Probabilities stored for a sample of this ploidy (0 to 2; validated by the caller's range check).</summary>
    private long ValueCount(int ploidy, bool phased) => ploidy switch
    {
        0 => 0,
        1 => _alleleCount - 1,
        _ => phased ? 2 * (_alleleCount - 1) : (_alleleCount * (_alleleCount + 1) / 2) - 1,
    };

    private static ulong Read(ReadOnlySpan<byte> probabilities, long index, int bits, ulong mask)
    {
        long bit = index * bits;
        ulong word = BinaryPrimitives.ReadUInt64LittleEndian(probabilities[(int)(bit >> 3)..]);
        return (word >> (int)(bit & 7)) & mask;
    }

    private void CheckSum(ulong sum, ulong mask, int sample)
    {
        if (sum > mask)
        {
            throw Error($"sample {sample + 1}'s probabilities sum above 1 ({sum} > {mask})");
        }
    }

    private static void SetCode(Span<byte> rows, int rowBytes, int row, int sample, byte code) =>
        rows[(row * rowBytes) + (sample >> 2)] |= (byte)(code << ((sample & 3) << 1));

    private GenoFlowFormatException Error(string problem) =>
        new(_path, $"variant at byte {_blockOffset}: {problem}", byteOffset: _dataOffset);
}
