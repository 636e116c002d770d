using System.Buffers.Binary;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Checks the structure of a Parquet file GenoFlow wrote (a tile, a sample table) before Parquet.Net decodes it: the footer's metadata and every page header must be
/// well-formed Thrift (compact protocol) holding only the fields of <see cref="ThriftSchema"/> with their types, every
/// length and count must fit in the bytes present, and the pages must tile the file from its head to the footer.
/// Why: Parquet.Net 6 reads Thrift without bounds (a byte read past the end comes back as 0xFF, a varint's
/// "continue" bit) and skips unknown struct fields without their values, so a forged tile could make it loop forever;
/// after this check it only meets what it knows. A failure is one error naming the file and the byte offset.
/// </summary>
internal sealed class ParquetStructure
{
    /// <summary>Nesting deeper than any parquet.thrift struct GenoFlow writes (FileMetaData → … → LogicalType → TimeUnit).</summary>
    private const int MaxDepth = 12;

    private const int PageHeaderSizeField = 3;

    private readonly ArraySegment<byte> _bytes;
    private readonly string _file;
    private int _position;
    private int _end;
    private long _compressedPageSize;

    private ParquetStructure(ArraySegment<byte> bytes, string file)
    {
        _bytes = bytes;
        _file = file;
    }

    /// <summary>Checks <paramref name="contents"/> (a whole file whose footer length <see cref="ParquetFooter"/> already checked).</summary>
    /// <exception cref="GenoFlowFormatException">Where the structure is damaged.</exception>
    public static void Check(ArraySegment<byte> contents, string file)
    {
        var check = new ParquetStructure(contents, file);
        int metadataLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(contents.AsSpan(contents.Count - 8));
        int metadataStart = contents.Count - 8 - metadataLength;
        check.Walk("FileMetaData", metadataStart, contents.Count - 8, "the footer's metadata");
        int page = 4;
        while (page < metadataStart)
        {
            int header = page;
            check._compressedPageSize = -1;
            check.Walk("PageHeader", header, metadataStart, "a page header");
            if (check._compressedPageSize < 0 || check._compressedPageSize > metadataStart - check._position)
            {
                throw check.Damaged(header, $"the page header claims {check._compressedPageSize} bytes of page data, but {metadataStart - check._position} remain before the footer");
            }
            page = check._position + (int)check._compressedPageSize;
        }
    }

    /// <summary>Reads one <paramref name="structName"/> from <paramref name="start"/>; it must end by <paramref name="end"/> (exactly, for the footer).</summary>
    private void Walk(string structName, int start, int end, string what)
    {
        _position = start;
        _end = end;
        Struct(structName, depth: 1);
        if (structName == "FileMetaData" && _position != end)
        {
            throw Damaged(_position, $"{end - _position} bytes follow {what}");
        }
    }

    private void Struct(string name, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Damaged(_position, $"structures nested more than {MaxDepth} deep");
        }
        var fields = ThriftSchema.Structs[name];
        int lastId = 0;
        while (true)
        {
            int at = _position;
            byte header = NextByte();
            if (header == 0)
            {
                return;
            }
            int type = header & 0x0f;
            int delta = header >> 4;
            int id = delta != 0 ? lastId + delta : (int)Zigzag(Varint(3));
            lastId = id;
            if (!fields.TryGetValue(id, out ThriftSchema.Field? field) || !Matches(field.Type, type))
            {
                throw Damaged(at, $"field {id} of type {type} is not a field of {name} in the files GenoFlow writes");
            }
            long value = Value(field, type, depth);
            if (name == "PageHeader" && id == PageHeaderSizeField)
            {
                _compressedPageSize = value;
            }
        }
    }

    /// <summary>Reads one value of <paramref name="field"/>; returns it for integers.</summary>
    private long Value(ThriftSchema.Field field, int type, int depth)
    {
        switch (field.Type)
        {
            case ThriftSchema.BoolTrue:
                return type == ThriftSchema.BoolTrue ? 1 : 0;
            case ThriftSchema.Byte:
                return NextByte();
            case ThriftSchema.I16:
                return Zigzag(Varint(3));
            case ThriftSchema.I32:
                return Zigzag(Varint(5));
            case ThriftSchema.I64:
                return Zigzag(Varint(10));
            case ThriftSchema.Binary:
                Skip(Length());
                return 0;
            case ThriftSchema.Struct:
                Struct(field.StructName!, depth + 1);
                return 0;
            default:
                List(field, depth);
                return 0;
        }
    }

    private void List(ThriftSchema.Field field, int depth)
    {
        int at = _position;
        byte header = NextByte();
        int elementType = header & 0x0f;
        long count = header >> 4 == 15 ? (long)Varint(5) : header >> 4;
        if (count > 0 && elementType != field.ElementType)
        {
            throw Damaged(at, $"a list of type {elementType} where type {field.ElementType} belongs");
        }
        // Every element takes at least one byte: a count beyond the bytes left is a lie, caught before any loop.
        if (count > _end - _position)
        {
            throw Damaged(at, $"a list of {count} elements in the {_end - _position} bytes left");
        }
        var element = new ThriftSchema.Field(field.ElementType, field.StructName);
        for (long i = 0; i < count; i++)
        {
            Value(element, field.ElementType, depth);
        }
    }

    private static bool Matches(int expected, int actual) =>
        expected == actual || (expected == ThriftSchema.BoolTrue && actual == ThriftSchema.BoolFalse);

    private int Length()
    {
        int at = _position;
        ulong length = Varint(5);
        return length <= (ulong)(_end - _position) ? (int)length
            : throw Damaged(at, $"a {length}-byte string in the {_end - _position} bytes left");
    }

    private void Skip(int count) => _position += count;

    private byte NextByte() =>
        _position < _end ? _bytes[_position++] : throw Damaged(_position, "the structure runs past its end");

    private ulong Varint(int maxBytes)
    {
        int at = _position;
        ulong value = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            byte b = NextByte();
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw Damaged(at, $"a varint longer than {maxBytes} bytes");
    }

    private static long Zigzag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private GenoFlowFormatException Damaged(int offset, string problem) =>
        new(_file, $"damaged Parquet structure: {problem}; the dataset is damaged", byteOffset: offset);
}
