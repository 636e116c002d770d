namespace GenoFlow.Core.Formats.Pgen;

/// <summary>Reads forward through one record's bytes; every read is checked against the record's end.</summary>
internal ref struct PgenRecordCursor
{
    private readonly ReadOnlySpan<byte> _record;

    public PgenRecordCursor(ReadOnlySpan<byte> record)
    {
        _record = record;
        Position = 0;
    }

    public readonly ReadOnlySpan<byte> Record => _record;

    /// <summary>Offset of the next byte within the record.</summary>
    public int Position { get; private set; }

    public ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > _record.Length - Position)
        {
            throw new PgenFormatError($"the record ends inside {what} ({count} bytes needed, {_record.Length - Position} left)", Position);
        }
        ReadOnlySpan<byte> bytes = _record.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public byte TakeByte(string what) => Take(1, what)[0];

    /// <summary>pgenlib's varint: 7 bits a byte, lowest first, high bit set on all but the last; below 2^31.</summary>
    public uint ReadVarint()
    {
        uint value = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new PgenFormatError("a variable-length integer runs past 31 bits", Position);
            }
            byte b = TakeByte("a variable-length integer");
            value |= (uint)(b & 127) << shift;
            if (b < 128)
            {
                return value <= int.MaxValue ? value : throw new PgenFormatError("a variable-length integer exceeds 2^31 - 1", Position);
            }
        }
    }
}
