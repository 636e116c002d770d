using GenoFlow.Core.Formats.Binary;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// A .pgen file's header (pgenlib_read.cc, PgfiInitPhase1/2): magic <c>6c 1b</c>, a storage mode byte, then for
/// every mode but PLINK 1 the variant count, sample count and a control byte. Fixed-width modes (0x02 hard calls,
/// 0x03/0x04 with dosages) store every record at the same width; the variable-width mode 0x10, what
/// <c>plink2 --make-pgen</c> writes, keeps per block of 65,536 variants a file offset and, per variant, a record type
/// and a record length (and an allele count when some variant has more than two). The per-block tables are read one
/// block at a time (<see cref="ReadBlock"/>), so memory does not grow with the variant count.
/// </summary>
internal sealed class PgenHeader
{
    public const int BlockSize = 65536;

    /// <summary>Records longer than this many bytes per sample (plus a few KB) are refused.</summary>
    public const int MaxRecordBytesPerSample = 16;

    private long _blockTableStart;
    private long _blockHeadersStart;
    private long _blockHeaderBytes;

    private PgenHeader(int mode, uint variantCount, int sampleCount)
    {
        Mode = mode;
        VariantCount = variantCount;
        SampleCount = sampleCount;
    }

    /// <summary>Storage mode byte: 0x01 PLINK 1 .bed, 0x02-0x04 fixed width, 0x10 variable width.</summary>
    public int Mode { get; }

    public uint VariantCount { get; }

    public int SampleCount { get; }

    public bool IsVariableWidth => Mode == 0x10;

    /// <summary>Fixed-width modes: where the first record starts and how long each record is.</summary>
    public long FixedStart { get; private set; }

    public long FixedWidth { get; private set; }

    public int RecordLengthBytes { get; private set; }

    public bool EightBitTypes { get; private set; }

    public bool AlleleCountsStored { get; private set; }

    public bool NonrefFlagsStored { get; private set; }

    public long MaxRecordBytes => 4096 + ((long)MaxRecordBytesPerSample * SampleCount);

    /// <summary>Reads the header. A PLINK 1 .bed (mode 0x01) needs the sample count from the .psam.</summary>
    public static PgenHeader Read(BinaryInput input, int psamSampleCount)
    {
        Span<byte> start = stackalloc byte[3];
        input.ReadExactly(start, "the magic number and storage mode");
        if (start[0] != 0x6c || start[1] != 0x1b)
        {
            throw input.Error($"not a .pgen file: expected magic bytes 6c 1b, found {Convert.ToHexStringLower(start[..2])}", 0);
        }
        int mode = start[2];
        if (mode == 0x01)
        {
            int rowBytes = PackedGenotypes.RowBytes(psamSampleCount);
            long records = (input.Length - 3) / rowBytes;
            if (records * rowBytes != input.Length - 3 || records > uint.MaxValue)
            {
                throw input.Error($"a PLINK 1 .bed-mode .pgen of {psamSampleCount} samples must be 3 + a multiple of {rowBytes} bytes, not {input.Length}", 2);
            }
            return new PgenHeader(mode, (uint)records, psamSampleCount) { FixedStart = 3, FixedWidth = rowBytes };
        }
        if (mode is not (0x02 or 0x03 or 0x04 or 0x10))
        {
            string what = mode == 0x00 ? "a sample-major PLINK 1 .bed" : mode is 0x11 or 0x20 or 0x21 ? "a .pgen with extensions or an external .pgi index" : "an unknown storage mode";
            throw input.Error($"storage mode byte {mode:x2} ({what}) is not supported; expected 01, 02, 03, 04 or 10", 2);
        }
        uint variants = input.ReadUInt32("the variant count");
        uint samples = input.ReadUInt32("the sample count");
        byte control = input.ReadByte("the header control byte");
        if (samples == 0 || samples > (1u << 30))
        {
            throw input.Error($"sample count {samples} is outside 1 to 2^30", 7);
        }
        var header = new PgenHeader(mode, variants, (int)samples);
        header.NonrefFlagsStored = control >> 6 == 3;
        if (mode != 0x10)
        {
            header.ReadFixed(input, control);
        }
        else
        {
            header.ReadVariable(input, control);
        }
        return header;
    }

    private void ReadFixed(BinaryInput input, byte control)
    {
        if ((control & 63) != 0)
        {
            throw input.Error($"control byte {control:x2} belongs to a variable-width mode, but storage mode {Mode:x2} is fixed width", 11);
        }
        FixedStart = 12 + (NonrefFlagsStored ? (VariantCount + 7L) / 8 : 0);
        FixedWidth = PackedGenotypes.RowBytes(SampleCount) + (Mode == 0x03 ? 2L * SampleCount : Mode == 0x04 ? 4L * SampleCount : 0);
        long expected = FixedStart + (VariantCount * FixedWidth);
        if (input.Length != expected)
        {
            throw input.Error($"a fixed-width .pgen of {VariantCount} variants x {SampleCount} samples (mode {Mode:x2}) must be {expected} bytes, not {input.Length}", Math.Min(input.Length, expected));
        }
    }

    private void ReadVariable(BinaryInput input, byte control)
    {
        int storage = control & 15;
        if (storage >= 8)
        {
            throw input.Error($"control byte {control:x2}: the compact record-type tables of tiny sample counts are not supported", 11);
        }
        if (((control >> 4) & 3) > 1)
        {
            throw input.Error($"control byte {control:x2}: more than 254 ALT alleles per variant is not supported", 11);
        }
        if (VariantCount == 0)
        {
            throw input.Error("the .pgen holds no variants", 3);
        }
        RecordLengthBytes = 1 + (storage & 3);
        EightBitTypes = (storage & 4) != 0;
        AlleleCountsStored = ((control >> 4) & 3) == 1;
        long blocks = ((VariantCount - 1L) / BlockSize) + 1;
        _blockTableStart = 12;
        _blockHeadersStart = 12 + (8 * blocks);
        _blockHeaderBytes = BlockHeaderBytes(BlockSize);
        if (_blockHeadersStart > input.Length)
        {
            throw input.Error($"the file ends inside the table of {blocks} block offsets", input.Length);
        }
    }

    private long BlockHeaderBytes(int variants) =>
        (EightBitTypes ? variants : (variants + 1) / 2) + ((long)variants * RecordLengthBytes) + (AlleleCountsStored ? variants : 0) + (NonrefFlagsStored ? (variants + 7) / 8 : 0);

    /// <summary>Reads block <paramref name="block"/>'s tables; returns the file offset of its first record.</summary>
    public long ReadBlock(BinaryInput input, int block, PgenBlock target)
    {
        int count = (int)Math.Min(BlockSize, VariantCount - ((long)block * BlockSize));
        input.Seek(_blockTableStart + (8L * block));
        long at = input.Offset;
        ulong offset = input.ReadUInt32("a block offset") | ((ulong)input.ReadUInt32("a block offset") << 32);
        input.Seek(_blockHeadersStart + (block * _blockHeaderBytes));
        long tablesAt = input.Offset;
        if (EightBitTypes)
        {
            input.ReadExactly(target.Types.AsSpan(0, count), "the record types");
        }
        else
        {
            Span<byte> packed = target.Scratch.AsSpan(0, (count + 1) / 2);
            input.ReadExactly(packed, "the record types");
            for (int i = 0; i < count; i++)
            {
                target.Types[i] = (byte)((packed[i >> 1] >> ((i & 1) * 4)) & 15);
            }
        }
        Span<byte> lengths = target.Scratch.AsSpan(0, count * RecordLengthBytes);
        input.ReadExactly(lengths, "the record lengths");
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            uint length = 0;
            for (int b = 0; b < RecordLengthBytes; b++)
            {
                length |= (uint)lengths[(i * RecordLengthBytes) + b] << (8 * b);
            }
            if (length > MaxRecordBytes)
            {
                throw input.Error($"variant {((long)block * BlockSize) + i + 1}'s record claims {length} bytes; the limit is {MaxRecordBytes} ({MaxRecordBytesPerSample} per sample)", tablesAt);
            }
            target.Lengths[i] = length;
            total += length;
        }
        if (AlleleCountsStored)
        {
            input.ReadExactly(target.AlleleCounts.AsSpan(0, count), "the allele counts");
        }
        else
        {
            target.AlleleCounts.AsSpan(0, count).Fill(2);
        }
        target.Count = count;
        if (offset > (ulong)input.Length || (long)offset + total > input.Length)
        {
            throw input.Error($"block {block + 1}'s records ({total} bytes from byte {offset}) run past the end of the file ({input.Length} bytes)", at);
        }
        return (long)offset;
    }
}
