namespace GenoFlow.Core.Genotypes;

/// <summary>
/// The packed genotype layout used everywhere in GenoFlow: PLINK 1 .bed encoding, 2 bits per sample,
/// four samples per byte, the first sample in the lowest two bits.
/// <code>
///   code  bed meaning          GenoFlow meaning (REF = bim column 6 = A2, ALT = bim column 5 = A1)
///   0b00  homozygous A1        2 ALT alleles
///   0b01  missing              missing
///   0b10  heterozygous         1 ALT allele
///   0b11  homozygous A2        0 ALT alleles (homozygous REF)
/// </code>
/// A row holds one variant for a run of samples; its length is <see cref="RowBytes"/>. Bits past the last sample
/// in the final byte ("trailing bits") are always zero in rows GenoFlow produces; kernels whose name ends in
/// <c>Unsafe</c> rely on that.
/// </summary>
public static class PackedGenotypes
{
    public const byte HomAlt = 0b00;
    public const byte Missing = 0b01;
    public const byte Het = 0b10;
    public const byte HomRef = 0b11;

    /// <summary>ALT-allele count per 2-bit code; -1 marks missing.</summary>
    public static ReadOnlySpan<sbyte> AltCountByCode => [2, -1, 1, 0];

    /// <summary>2-bit code per ALT-allele count 0, 1, 2.</summary>
    public static ReadOnlySpan<byte> CodeByAltCount => [HomRef, Het, HomAlt];

    public static int RowBytes(int sampleCount) => (sampleCount + 3) >> 2;

    public static byte GetCode(ReadOnlySpan<byte> row, int sample) => (byte)((row[sample >> 2] >> ((sample & 3) << 1)) & 3);

    /// <summary>Sets one sample's code; the row must have been cleared or hold a code there already.</summary>
    public static void SetCode(Span<byte> row, int sample, byte code)
    {
        int shift = (sample & 3) << 1;
        ref byte b = ref row[sample >> 2];
        b = (byte)((b & ~(3 << shift)) | ((code & 3) << shift));
    }

    /// <summary>Packs ALT-allele counts (0, 1, 2, or -1 for missing) into a row, zeroing the trailing bits.</summary>
    public static void Pack(ReadOnlySpan<sbyte> altCounts, Span<byte> row)
    {
        if (row.Length != RowBytes(altCounts.Length))
        {
            throw new ArgumentException($"row holds {row.Length} bytes; {altCounts.Length} samples need {RowBytes(altCounts.Length)}", nameof(row));
        }
        row.Clear();
        for (int i = 0; i < altCounts.Length; i++)
        {
            sbyte c = altCounts[i];
            byte code = c switch { 0 => HomRef, 1 => Het, 2 => HomAlt, -1 => Missing, _ => throw new ArgumentOutOfRangeException(nameof(altCounts), c, "ALT-allele count must be 0, 1, 2 or -1 (missing)") };
            row[i >> 2] |= (byte)(code << ((i & 3) << 1));
        }
    }

    /// <summary>Unpacks a row into ALT-allele counts (-1 = missing).</summary>
    public static void Unpack(ReadOnlySpan<byte> row, Span<sbyte> altCounts)
    {
        if (row.Length != RowBytes(altCounts.Length))
        {
            throw new ArgumentException($"row holds {row.Length} bytes; {altCounts.Length} samples need {RowBytes(altCounts.Length)}", nameof(row));
        }
        ReadOnlySpan<sbyte> table = AltCountByCode;
        for (int i = 0; i < altCounts.Length; i++)
        {
            altCounts[i] = table[(row[i >> 2] >> ((i & 3) << 1)) & 3];
        }
    }

    /// <summary>Zeroes the bits past the last sample, as PLINK writes them.</summary>
    public static void ClearTrailingBits(Span<byte> row, int sampleCount)
    {
        int used = sampleCount & 3;
        if (used != 0 && row.Length > 0)
        {
            row[^1] &= (byte)((1 << (used << 1)) - 1);
        }
    }
}
