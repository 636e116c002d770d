using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// The multi-allelic hard-call track (pgenlib_read.cc, GetMultiallelicCodes): one byte of two 4-bit modes, then
/// (unless its mode is 15, absent) the REF/ALTk patch — which REF/ALT1 calls are REF/ALTk, as a bit per REF/ALT1 call
/// (mode 0) or a delta list of samples (mode 1), then k − 2 in 0, 1, 2, 4 or 8 bits by allele count — and the
/// ALTi/ALTj patch of ALT1/ALT1 calls the same way, i − 1 and j − 1 in 1 (for 3 alleles: ALT1/ALT2 or ALT2/ALT2), 2+2,
/// 4+4 or 8+8 bits. Rows are split as VCF import splits: the row of ALT k counts copies of allele k, every other
/// allele counting as REF.
/// </summary>
internal sealed class PgenMultiallelicTrack
{
    private readonly int _sampleCount;
    private readonly List<(int Sample, byte Allele)> _refAlt = [];
    private readonly List<(int Sample, byte Low, byte High)> _altAlt = [];

    public PgenMultiallelicTrack(int sampleCount) => _sampleCount = sampleCount;

    public void Read(ref PgenRecordCursor reader, ReadOnlySpan<byte> genovec, int alleleCount)
    {
        _refAlt.Clear();
        _altAlt.Clear();
        byte modes = reader.TakeByte("the multi-allelic track's modes");
        int refAltMode = modes & 15;
        int altAltMode = modes >> 4;
        if (refAltMode != 15)
        {
            List<int> samples = ReadSampleSet(ref reader, genovec, refAltMode, 1);
            int bits = alleleCount == 3 ? 0 : alleleCount == 4 ? 1 : alleleCount < 7 ? 2 : alleleCount < 19 ? 4 : 8;
            ReadOnlySpan<byte> values = reader.Take(((samples.Count * bits) + 7) / 8, "the REF/ALTk allele codes");
            for (int i = 0; i < samples.Count; i++)
            {
                int allele = 2 + Value(values, i, bits);
                _refAlt.Add((samples[i], CheckAllele(allele, alleleCount, reader.Position)));
            }
        }
        if (altAltMode != 15)
        {
            List<int> samples = ReadSampleSet(ref reader, genovec, altAltMode, 2);
            if (alleleCount == 3)
            {
                ReadOnlySpan<byte> values = reader.Take((samples.Count + 7) / 8, "the ALTi/ALTj allele codes");
                for (int i = 0; i < samples.Count; i++)
                {
                    _altAlt.Add((samples[i], (byte)(1 + Value(values, i, 1)), 2));
                }
            }
            else
            {
                int bits = alleleCount < 6 ? 2 : alleleCount < 18 ? 4 : 8;
                ReadOnlySpan<byte> values = reader.Take(((2 * samples.Count * bits) + 7) / 8, "the ALTi/ALTj allele codes");
                for (int i = 0; i < samples.Count; i++)
                {
                    byte low = CheckAllele(1 + Value(values, 2 * i, bits), alleleCount, reader.Position);
                    byte high = CheckAllele(1 + Value(values, (2 * i) + 1, bits), alleleCount, reader.Position);
                    _altAlt.Add((samples[i], low, high));
                }
            }
        }
    }

    /// <summary>Rewrites the ALT1 row and fills the rows of ALT 2..K−1 from the main-track codes and the patches.</summary>
    public void Apply(ReadOnlySpan<byte> genovec, Span<byte> rows, int alleleCount)
    {
        int rowBytes = PackedGenotypes.RowBytes(_sampleCount);
        WriteOtherAlts(genovec, rows, alleleCount);
        Span<byte> first = rows[..rowBytes];
        foreach ((int sample, byte allele) in _refAlt)
        {
            PackedGenotypes.SetCode(first, sample, PackedGenotypes.HomRef);
            PackedGenotypes.SetCode(rows.Slice((allele - 1) * rowBytes, rowBytes), sample, PackedGenotypes.Het);
        }
        foreach ((int sample, byte low, byte high) in _altAlt)
        {
            for (int alt = 1; alt < alleleCount; alt++)
            {
                int copies = (low == alt ? 1 : 0) + (high == alt ? 1 : 0);
                PackedGenotypes.SetCode(rows.Slice((alt - 1) * rowBytes, rowBytes), sample, PackedGenotypes.CodeByAltCount[copies]);
            }
        }
    }

    /// <summary>Rows of ALT 2..K−1 before patching: missing where the main track is missing, no ALT copies elsewhere.</summary>
    public void WriteOtherAlts(ReadOnlySpan<byte> genovec, Span<byte> rows, int alleleCount)
    {
        int rowBytes = PackedGenotypes.RowBytes(_sampleCount);
        Span<byte> template = rows.Slice(rowBytes, rowBytes);
        for (int i = 0; i < rowBytes; i++)
        {
            int b = genovec[i];
            int missing = b & (b >> 1) & 0x55;
            // 11 (REF/REF) everywhere, 01 where missing.
            template[i] = (byte)(0xFF & ~(missing << 1));
        }
        PackedGenotypes.ClearTrailingBits(template, _sampleCount);
        for (int alt = 3; alt < alleleCount; alt++)
        {
            template.CopyTo(rows.Slice((alt - 1) * rowBytes, rowBytes));
        }
    }

    /// <summary>The samples a patch covers: mode 0, a bit per sample holding main-track code <paramref name="code"/>; mode 1, a delta list.</summary>
    private List<int> ReadSampleSet(ref PgenRecordCursor reader, ReadOnlySpan<byte> genovec, int mode, int code)
    {
        var samples = new List<int>();
        if (mode == 0)
        {
            var candidates = new List<int>();
            for (int s = 0; s < _sampleCount; s++)
            {
                if (((genovec[s >> 2] >> ((s & 3) * 2)) & 3) == code)
                {
                    candidates.Add(s);
                }
            }
            ReadOnlySpan<byte> bits = reader.Take((candidates.Count + 7) / 8, "a multi-allelic patch's sample bits");
            for (int i = 0; i < candidates.Count; i++)
            {
                if (((bits[i >> 3] >> (i & 7)) & 1) != 0)
                {
                    samples.Add(candidates[i]);
                }
            }
            return samples;
        }
        if (mode != 1)
        {
            throw new PgenFormatError($"multi-allelic patch mode {mode}: expected 0 (bit array), 1 (sample list) or 15 (absent)", reader.Position);
        }
        var list = new PgenDifflist(ref reader, _sampleCount, withCodes: false);
        for (int i = 0; i < list.Length; i++)
        {
            int sample = list.NextSample(ref reader);
            if (((genovec[sample >> 2] >> ((sample & 3) * 2)) & 3) != code)
            {
                throw new PgenFormatError($"the multi-allelic track patches sample {sample + 1}, whose main-track call is not code {code}", reader.Position);
            }
            samples.Add(sample);
        }
        return samples;
    }

    private static int Value(ReadOnlySpan<byte> values, int index, int bits)
    {
        if (bits == 0)
        {
            return 0;
        }
        long bit = (long)index * bits;
        return (values[(int)(bit >> 3)] >> (int)(bit & 7)) & ((1 << bits) - 1);
    }

    private static byte CheckAllele(int allele, int alleleCount, int position) =>
        allele < alleleCount ? (byte)allele : throw new PgenFormatError($"the multi-allelic track names allele {allele} of a variant with {alleleCount}", position);
}
