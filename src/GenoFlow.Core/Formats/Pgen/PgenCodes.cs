using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// Byte tables between pgen's 2-bit codes (0 REF/REF, 1 REF/ALT, 2 ALT/ALT, 3 missing) and GenoFlow's packed codes
/// (<see cref="PackedGenotypes"/>: PLINK 1 .bed codes), four samples a byte.
/// </summary>
internal static class PgenCodes
{
    /// <summary>pgen → packed: 0 → 11, 1 → 10, 2 → 00, 3 → 01.</summary>
    public static readonly byte[] ToPacked = ByteTable([PackedGenotypes.HomRef, PackedGenotypes.Het, PackedGenotypes.HomAlt, PackedGenotypes.Missing]);

    /// <summary>packed → pgen: 00 → 2, 01 → 3, 10 → 1, 11 → 0.</summary>
    public static readonly byte[] FromPacked = ByteTable([2, 3, 1, 0]);

    /// <summary>pgen → pgen with REF/REF and ALT/ALT swapped (record type 3).</summary>
    public static readonly byte[] SwapHomozygotes = ByteTable([2, 1, 0, 3]);

    /// <summary>A table mapping each of a byte's four 2-bit codes through <paramref name="map"/>.</summary>
    private static byte[] ByteTable(ReadOnlySpan<byte> map)
    {
        var table = new byte[256];
        for (int b = 0; b < 256; b++)
        {
            table[b] = (byte)(map[b & 3] | (map[(b >> 2) & 3] << 2) | (map[(b >> 4) & 3] << 4) | (map[(b >> 6) & 3] << 6));
        }
        return table;
    }
}
