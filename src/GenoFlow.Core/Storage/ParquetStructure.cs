using System.Buffers.Binary;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Checks the structure of a Parquet file before Parquet.Net decodes it; every Parquet file GenoFlow opens (tiles,
/// variant and sample tables, sample shards, user tables, PCA models) goes through here first. The footer (its length
/// checked by <see cref="ParquetFooter"/>) and every page header must be well-formed Thrift (compact protocol) holding
/// only the fields of <see cref="ThriftSchema"/> with their types; every length and count must fit in the bytes
/// present; each column chunk's pages must fill exactly the bytes its metadata claims, inside the file, and hold the
/// values it claims; no page may inflate past <see cref="MaxPageBytes"/>, and no row group or column chunk may claim
/// more rows than the caller's limit.
/// Why: Parquet.Net 6 reads Thrift without bounds (a byte read past the end comes back as 0xFF, a varint's
/// "continue" bit), skips unknown struct fields without their values, and sizes its arrays from the counts it reads
/// (a column chunk's num_values, a page's uncompressed size), so a forged file could make it loop forever or allocate
/// gigabytes; after this check it only meets what it knows, with counts the caller accepted. A failure is one error
/// naming the file and the byte offset. Only page headers are read from the data, through a small window.
/// What the walk found (each column chunk's type, codec and pages) is returned, so that a reader of GenoFlow's own
/// files can decode their pages straight from the bytes it checked (see <see cref="TilePages"/>).
/// </summary>
public sealed class ParquetStructure
{
    /// <summary>Largest page accepted, before or after decompression: Parquet.Net allocates a page whole.</summary>
    public const int MaxPageBytes = 256 << 20;

    /// <summary>Nesting deeper than any parquet.thrift struct accepted (FileMetaData → … → LogicalType → TimeUnit).</summary>
    private const int MaxDepth = 12;

    private const int HeadBytes = 4;
    private const int DictionaryPage = 2;

    private readonly Stream _input;
    private readonly string _file;
    private readonly byte[] _window = new byte[8192];
    private long _windowStart;
    private int _windowLength;
    private long _position;
    private long _end;

    // What the walk keeps of the structs it reads: integer fields of column metadata, row groups and page headers.
    private readonly List<(long At, Dictionary<int, long> Fields)> _columnChunks = [];
    private readonly List<(long At, long Rows)> _rowGroups = [];
    private Dictionary<int, long>? _pageHeader;
    private long _pageValues;
    private long _pageEncoding;
    private readonly List<ParquetColumnChunk> _checked = [];

    private ParquetStructure(Stream input, string file)
    {
        _input = input;
        _file = file;
    }

    /// <summary>
    /// Checks the Parquet file in <paramref name="input"/> (seekable; the position is kept), which may hold at most
    /// <paramref name="maxRows"/> rows.
    /// </summary>
    /// <returns>The file's column chunks in file order (row group by row group), each with its pages.</returns>
    /// <exception cref="GenoFlowFormatException">Where the structure is damaged, or claims more than the limits.</exception>
    public static IReadOnlyList<ParquetColumnChunk> Check(Stream input, string file, long maxRows)
    {
        ArgumentNullException.ThrowIfNull(input);
        ParquetFooter.Check(input, file);
        long position = input.Position;
        var check = new ParquetStructure(input, file);
        check.Run(maxRows);
        input.Seek(position, SeekOrigin.Begin);
        return check._checked;
    }

    private void Run(long maxRows)
    {
        long length = _input.Length;
        Span<byte> tail = stackalloc byte[4];
        _input.Seek(length - 8, SeekOrigin.Begin);
        _input.ReadExactly(tail);
        long metadataStart = length - 8 - BinaryPrimitives.ReadUInt32LittleEndian(tail);
        Walk("FileMetaData", metadataStart, length - 8);
        if (_position != length - 8)
        {
            throw Damaged(_position, $"{length - 8 - _position} bytes follow the footer's metadata");
        }
        long rows = 0;
        foreach ((long at, long groupRows) in _rowGroups)
        {
            rows += groupRows;
            if (groupRows < 0 || rows > maxRows)
            {
                throw Damaged(at, $"a row group claims {groupRows} rows, where this file may hold {maxRows} in all");
            }
        }
        foreach ((long at, Dictionary<int, long> fields) in _columnChunks)
        {
            CheckColumnChunk(at, fields, metadataStart, maxRows);
        }
    }

    /// <summary>Walks the pages of one column chunk: from its first page they must fill exactly the bytes it claims and hold its values.</summary>
    private void CheckColumnChunk(long at, Dictionary<int, long> fields, long metadataStart, long maxRows)
    {
        long values = fields.GetValueOrDefault(ThriftSchema.ColumnValues, -1);
        long size = fields.GetValueOrDefault(ThriftSchema.ColumnCompressedSize, -1);
        long dataPage = fields.GetValueOrDefault(ThriftSchema.ColumnDataPageOffset, -1);
        long dictionaryPage = fields.GetValueOrDefault(ThriftSchema.ColumnDictionaryPageOffset, 0);
        if (values < 0 || values > maxRows)
        {
            throw Damaged(at, $"a column chunk claims {values} values, where this file may hold {maxRows} rows");
        }
        // Parquet.Net starts at the lower of the two offsets that are not 0, and reads pages in sequence from there.
        long start = dictionaryPage != 0 ? Math.Min(dictionaryPage, dataPage) : dataPage;
        if (start < HeadBytes || size < 0 || size > metadataStart - start)
        {
            throw Damaged(at, $"a column chunk claims {size} bytes from byte {start}, but its pages must lie between byte {HeadBytes} and the footer at {metadataStart}");
        }
        long end = start + size;
        long page = start;
        long dataValues = 0;
        bool dataPageFound = false;
        var pages = new List<ParquetPage>();
        while (page < end)
        {
            dataPageFound |= page == dataPage;
            _pageHeader = [];
            _pageValues = 0;
            _pageEncoding = -1;
            Walk("PageHeader", page, end);
            long compressed = _pageHeader.GetValueOrDefault(ThriftSchema.PageCompressedSize, -1);
            long uncompressed = _pageHeader.GetValueOrDefault(ThriftSchema.PageUncompressedSize, -1);
            if (compressed < 0 || compressed > end - _position)
            {
                throw Damaged(page, $"the page header claims {compressed} bytes of page data, but {end - _position} remain in its column chunk");
            }
            if (uncompressed < 0 || uncompressed > MaxPageBytes)
            {
                throw Damaged(page, $"the page header claims {uncompressed} bytes uncompressed, outside 0 to the limit of {MaxPageBytes}");
            }
            if (_pageValues < 0 || _pageValues > values)
            {
                throw Damaged(page, $"a page claims {_pageValues} values, outside 0 to its column chunk's {values}");
            }
            int pageType = (int)_pageHeader.GetValueOrDefault(ThriftSchema.PageType);
            if (pageType != DictionaryPage)
            {
                dataValues += _pageValues;
            }
            pages.Add(new ParquetPage(pageType, (int)_pageEncoding, _position, compressed, uncompressed, _pageValues));
            page = _position + compressed;
        }
        if (!dataPageFound || dataValues != values)
        {
            throw Damaged(at, dataPageFound
                ? $"the column chunk's pages hold {dataValues} values, its metadata claims {values}"
                : $"the column chunk's data page offset {dataPage} is not where one of its pages starts");
        }
        _checked.Add(new ParquetColumnChunk((int)fields.GetValueOrDefault(ThriftSchema.ColumnType, -1), (int)fields.GetValueOrDefault(ThriftSchema.ColumnCodec, -1), pages));
    }

    /// <summary>Reads one <paramref name="structName"/> from <paramref name="start"/>; it must end by <paramref name="end"/>.</summary>
    private void Walk(string structName, long start, long end)
    {
        _position = start;
        _end = end;
        Struct(structName, depth: 1);
    }

    private void Struct(string name, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Damaged(_position, $"structures nested more than {MaxDepth} deep");
        }
        long start = _position;
        var fields = ThriftSchema.Structs[name];
        Dictionary<int, long>? kept = name switch
        {
            "ColumnMetaData" or "RowGroup" or "DataPageHeader" or "DictionaryPageHeader" or "DataPageHeaderV2" => [],
            "PageHeader" => _pageHeader,
            _ => null,
        };
        int lastId = 0;
        while (true)
        {
            long at = _position;
            byte header = NextByte();
            if (header == 0)
            {
                break;
            }
            int type = header & 0x0f;
            int delta = header >> 4;
            int id = delta != 0 ? lastId + delta : (int)Zigzag(Varint(3));
            lastId = id;
            if (!fields.TryGetValue(id, out ThriftSchema.Field? field) || !Matches(field.Type, type))
            {
                throw Damaged(at, $"field {id} of type {type} is not a field of {name} that GenoFlow reads");
            }
            long value = Value(field, type, depth);
            kept?.TryAdd(id, value);
        }
        switch (name)
        {
            case "ColumnMetaData":
                _columnChunks.Add((start, kept!));
                break;
            case "RowGroup":
                _rowGroups.Add((start, kept!.GetValueOrDefault(ThriftSchema.RowGroupRows, -1)));
                break;
            case "DataPageHeader" or "DictionaryPageHeader" or "DataPageHeaderV2":
                _pageValues = kept!.GetValueOrDefault(ThriftSchema.PageValues, -1);
                _pageEncoding = name == "DataPageHeader" ? kept!.GetValueOrDefault(ThriftSchema.DataPageEncoding, -1) : -1;
                break;
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
                long length = Length(); // before adding: Length() moves past the varint
                _position += length;
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
        long at = _position;
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

    private long Length()
    {
        long at = _position;
        ulong length = Varint(5);
        return length <= (ulong)(_end - _position) ? (long)length
            : throw Damaged(at, $"a {length}-byte string in the {_end - _position} bytes left");
    }

    private byte NextByte()
    {
        if (_position >= _end)
        {
            throw Damaged(_position, "the structure runs past its end");
        }
        if (_position < _windowStart || _position >= _windowStart + _windowLength)
        {
            _windowStart = _position;
            _windowLength = (int)Math.Min(_window.Length, _end - _position);
            _input.Seek(_position, SeekOrigin.Begin);
            _input.ReadExactly(_window, 0, _windowLength);
        }
        return _window[_position++ - _windowStart];
    }

    private ulong Varint(int maxBytes)
    {
        long at = _position;
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

    private GenoFlowFormatException Damaged(long offset, string problem) =>
        new(_file, $"damaged Parquet structure: {problem}", byteOffset: offset);
}
