namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// A pgenlib difference list (ParseDifflistHeader): its length as a varint; for every group of 64 entries the first
/// sample index (as many bytes as the sample count needs) and, for all groups but the last, one byte for skipping;
/// then, for a difflist proper, one 2-bit code per entry; then each group's remaining sample indices as varint deltas.
/// A delta list (the multi-allelic track's sample sets) is the same without codes. Lists longer than 1/8 of the
/// samples are malformed (pgenlib writes a plain track then).
/// </summary>
internal struct PgenDifflist
{
    private const int GroupSize = 64;

    private readonly int _groupStarts;
    private readonly int _codes;
    private readonly int _idBytes;
    private readonly int _sampleCount;
    private int _next;
    private long _sample;

    public PgenDifflist(ref PgenRecordCursor reader, int sampleCount, bool withCodes)
    {
        _sampleCount = sampleCount;
        Length = (int)reader.ReadVarint();
        _idBytes = 1 + ((31 - int.LeadingZeroCount(sampleCount)) / 8);
        if (Length == 0)
        {
            return;
        }
        if (Length > sampleCount / 8)
        {
            throw new PgenFormatError($"a difference list of {Length} entries is longer than 1/8 of the {sampleCount} samples", reader.Position);
        }
        int groups = (Length + GroupSize - 1) / GroupSize;
        _groupStarts = reader.Position;
        reader.Take(groups * _idBytes, "a difference list's group starts");
        reader.Take(groups - 1, "a difference list's group sizes");
        _codes = reader.Position;
        if (withCodes)
        {
            reader.Take((Length + 3) / 4, "a difference list's codes");
        }
    }

    public int Length { get; }

    /// <summary>The sample of the next entry (entries are read in order; deltas come from <paramref name="reader"/>).</summary>
    public int NextSample(ref PgenRecordCursor reader)
    {
        int entry = _next++;
        if (entry % GroupSize == 0)
        {
            int start = 0;
            ReadOnlySpan<byte> id = reader.Record.Slice(_groupStarts + (entry / GroupSize * _idBytes), _idBytes);
            for (int b = 0; b < _idBytes; b++)
            {
                start |= id[b] << (8 * b);
            }
            _sample = start;
        }
        else
        {
            _sample += reader.ReadVarint();
        }
        if (_sample >= _sampleCount)
        {
            throw new PgenFormatError($"a difference list names sample index {_sample} of {_sampleCount}", reader.Position);
        }
        return (int)_sample;
    }

    public readonly int Code(ReadOnlySpan<byte> record, int entry) => (record[_codes + (entry >> 2)] >> ((entry & 3) * 2)) & 3;
}
