using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// Decodes the hard-call tracks of variable-width .pgen records (pgenlib_read.cc: ReadRawGenovec, ParseOnebitUnsafe,
/// ParseAndApplyDifflist, GetMultiallelicCodes) into packed rows, one per ALT allele. The main track holds pgen codes
/// (0 = REF/REF, 1 = REF/ALT1, 2 = ALT1/ALT1, 3 = missing) as one of: 0 plain 2-bit; 1 two codes in a 1-bit array plus
/// a difference list; 2 and 3 a difference list against the last record that was not LD-compressed (3 then swaps
/// 0 and 2); 4, 6, 7 a difference list against all 0, 2 or 3; 5 all REF/REF. Record type bit 3 adds the multi-allelic
/// track: which REF/ALT1 calls are REF/ALTk and which ALT1/ALT1 calls are ALTi/ALTj. Phase and dosage tracks follow and
/// are not read: their hard calls are already in the main track (plink2 made them with the rule of
/// <see cref="Bgen.HardCallRule"/>, so <c>plink2 --make-bed</c> gives the same calls).
/// </summary>
internal sealed class PgenRecordDecoder
{
    private readonly int _sampleCount;
    private readonly int _rowBytes;
    private readonly byte[] _genovec;
    private readonly byte[] _ldBase;
    private readonly PgenMultiallelicTrack _multiallelic;
    private bool _hasLdBase;

    public PgenRecordDecoder(int sampleCount)
    {
        _sampleCount = sampleCount;
        _rowBytes = PackedGenotypes.RowBytes(sampleCount);
        _genovec = new byte[_rowBytes];
        _ldBase = new byte[_rowBytes];
        _multiallelic = new PgenMultiallelicTrack(sampleCount);
    }

    /// <summary>
    /// Decodes one record into <paramref name="rows"/> (alleleCount − 1 rows). Throws <see cref="PgenFormatError"/>
    /// with the offset inside the record where it went wrong.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> record, int type, int alleleCount, Span<byte> rows)
    {
        var reader = new PgenRecordCursor(record);
        ReadMainTrack(ref reader, type & 7);
        PackedGenotypes.ClearTrailingBits(_genovec, _sampleCount);
        Span<byte> first = rows[.._rowBytes];
        for (int i = 0; i < _rowBytes; i++)
        {
            first[i] = PgenCodes.ToPacked[_genovec[i]];
        }
        PackedGenotypes.ClearTrailingBits(first, _sampleCount);
        if ((type & 8) == 0)
        {
            if (alleleCount > 2)
            {
                // No multi-allelic track: every call is REF or ALT1, so the other ALT rows hold no ALT copies.
                _multiallelic.WriteOtherAlts(_genovec, rows, alleleCount);
            }
            return;
        }
        if (alleleCount < 3)
        {
            throw new PgenFormatError("record type has the multi-allelic bit set but the variant has 2 alleles", reader.Position);
        }
        _multiallelic.Read(ref reader, _genovec, alleleCount);
        _multiallelic.Apply(_genovec, rows, alleleCount);
    }

    /// <summary>A fixed-width record: its first RowBytes are plain 2-bit pgen codes.</summary>
    public void DecodePlain(ReadOnlySpan<byte> codes, Span<byte> row)
    {
        for (int i = 0; i < _rowBytes; i++)
        {
            row[i] = PgenCodes.ToPacked[codes[i]];
        }
        PackedGenotypes.ClearTrailingBits(row, _sampleCount);
    }

    private void ReadMainTrack(ref PgenRecordCursor reader, int type)
    {
        Span<byte> g = _genovec;
        switch (type)
        {
            case 0:
                reader.Take(_rowBytes, "the 2-bit genotypes").CopyTo(g);
                break;
            case 1:
                ReadOneBit(ref reader);
                ApplyDifflist(ref reader);
                break;
            case 2:
            case 3:
                if (!_hasLdBase)
                {
                    throw new PgenFormatError("an LD-compressed record comes before any record it could be based on", 0);
                }
                _ldBase.CopyTo(g);
                ApplyDifflist(ref reader);
                if (type == 3)
                {
                    for (int i = 0; i < _rowBytes; i++)
                    {
                        g[i] = PgenCodes.SwapHomozygotes[g[i]];
                    }
                }
                return;
            case 5:
                g.Clear();
                break;
            default:
                g.Fill((byte)((type & 3) * 0x55));
                ApplyDifflist(ref reader);
                break;
        }
        g.CopyTo(_ldBase);
        _hasLdBase = true;
    }

    /// <summary>Type 1: a byte naming two codes (low = byte / 4, high = low + byte % 4), then one bit per sample.</summary>
    private void ReadOneBit(ref PgenRecordCursor reader)
    {
        ReadOnlySpan<byte> bytes = reader.Take(1 + ((_sampleCount + 7) / 8), "the 1-bit genotypes");
        int low = bytes[0] / 4;
        int high = low + (bytes[0] & 3);
        if (high > 3)
        {
            throw new PgenFormatError($"1-bit record codes {low} and {high}: codes are 0 to 3", reader.Position);
        }
        // Four samples (a nibble of the bit array) make one packed byte: 16 possible bytes.
        Span<byte> byNibble = stackalloc byte[16];
        for (int nibble = 0; nibble < 16; nibble++)
        {
            int packed = 0;
            for (int s = 0; s < 4; s++)
            {
                packed |= (((nibble >> s) & 1) != 0 ? high : low) << (2 * s);
            }
            byNibble[nibble] = (byte)packed;
        }
        ReadOnlySpan<byte> bits = bytes[1..];
        for (int i = 0; i < _rowBytes; i++)
        {
            _genovec[i] = byNibble[(bits[i >> 1] >> ((i & 1) * 4)) & 15];
        }
    }

    private void ApplyDifflist(ref PgenRecordCursor reader)
    {
        var list = new PgenDifflist(ref reader, _sampleCount, withCodes: true);
        for (int i = 0; i < list.Length; i++)
        {
            int sample = list.NextSample(ref reader);
            int code = list.Code(reader.Record, i);
            _genovec[sample >> 2] = (byte)((_genovec[sample >> 2] & ~(3 << ((sample & 3) * 2))) | (code << ((sample & 3) * 2)));
        }
    }
}
