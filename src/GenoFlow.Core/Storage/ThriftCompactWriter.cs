namespace GenoFlow.Core.Storage;

/// <summary>
/// Writes Thrift compact protocol (the encoding of Parquet's page headers and footer) into a span, the way Parquet.Net
/// 6's writer does, so that <see cref="TileFileEncoder"/> gives its bytes: a field header is one byte (the id's delta
/// from the previous field of the struct, 1..15, and the type) or the type byte then the id as a zigzag varint;
/// integers are zigzag varints; binaries a varint length then the bytes; a list header holds a count below 15 in its
/// byte, else 0xF0 | type then the count as a varint; a struct ends with a 0 byte. Type codes are
/// <see cref="ThriftSchema"/>'s. Writing past the span's end throws; <see cref="TileFileEncoder.MaxBytes"/> sizes it.
/// </summary>
internal ref struct ThriftCompactWriter
{
    private const int Stop = 0;
    private const int LongList = 0xf0;

    private readonly Span<byte> _output;
    private int _lastField;

    public ThriftCompactWriter(Span<byte> output) => _output = output;

    /// <summary>Bytes written so far.</summary>
    public int Position { get; private set; }

    /// <summary>The next <paramref name="length"/> bytes of the output, to be filled by the caller (raw, not Thrift).</summary>
    public Span<byte> Take(int length)
    {
        Span<byte> taken = _output.Slice(Position, length);
        Position += length;
        return taken;
    }

    public void I32(int id, int value)
    {
        FieldHeader(id, ThriftSchema.I32);
        Varint(Zigzag(value));
    }

    public void I64(int id, long value)
    {
        FieldHeader(id, ThriftSchema.I64);
        Varint(Zigzag(value));
    }

    public void Byte(int id, sbyte value)
    {
        FieldHeader(id, ThriftSchema.Byte);
        _output[Position++] = (byte)value;
    }

    /// <summary>A bool field: its value is its header's type.</summary>
    public void Bool(int id, bool value) => FieldHeader(id, value ? ThriftSchema.BoolTrue : ThriftSchema.BoolFalse);

    public void Binary(int id, scoped ReadOnlySpan<byte> value)
    {
        FieldHeader(id, ThriftSchema.Binary);
        BinaryElement(value);
    }

    public void List(int id, int elementType, int count)
    {
        FieldHeader(id, ThriftSchema.List);
        if (count < 15)
        {
            _output[Position++] = (byte)(count << 4 | elementType);
        }
        else
        {
            _output[Position++] = (byte)(LongList | elementType);
            Varint((uint)count);
        }
    }

    public void I32Element(int value) => Varint(Zigzag(value));

    public void BinaryElement(scoped ReadOnlySpan<byte> value)
    {
        Varint((uint)value.Length);
        value.CopyTo(Take(value.Length));
    }

    /// <summary>Starts a struct-typed field; returns what <see cref="EndStruct"/> needs to resume the outer struct.</summary>
    public int BeginStruct(int id)
    {
        FieldHeader(id, ThriftSchema.Struct);
        return BeginStructElement();
    }

    /// <summary>Starts a struct that is a list element (or the outermost struct): no field header.</summary>
    public int BeginStructElement()
    {
        int outer = _lastField;
        _lastField = 0;
        return outer;
    }

    public void EndStruct(int outer)
    {
        _output[Position++] = Stop;
        _lastField = outer;
    }

    private void FieldHeader(int id, int type)
    {
        int delta = id - _lastField;
        if (delta is > 0 and <= 15)
        {
            _output[Position++] = (byte)(delta << 4 | type);
        }
        else
        {
            _output[Position++] = (byte)type;
            Varint(Zigzag(id));
        }
        _lastField = id;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _output[Position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _output[Position++] = (byte)value;
    }

    private static ulong Zigzag(long value) => (ulong)(value << 1 ^ value >> 63);

    private static uint Zigzag(int value) => (uint)(value << 1 ^ value >> 31);
}
