using System.Buffers.Binary;
using System.Text;
using GenoFlow.Core.Formats.Plink;

namespace GenoFlow.Core.Formats.Binary;

/// <summary>
/// Sequential little-endian reads from a binary file that know their byte offset, so every error names the file and
/// where it happened; a length read from the file is checked against the bytes left before anything is allocated.
/// </summary>
internal sealed class BinaryInput : IDisposable
{
    private readonly FileStream _stream;

    public BinaryInput(string path, int bufferSize = 1 << 20)
    {
        Path = path;
        _stream = PlinkFile.OpenRead(path, bufferSize);
        Length = _stream.Length;
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>Offset of the next byte to be read.</summary>
    public long Offset { get; private set; }

    public long Remaining => Length - Offset;

    public GenoFlowFormatException Error(string problem, long offset) => new(Path, problem, byteOffset: offset);

    public void Seek(long offset)
    {
        if (offset < 0 || offset > Length)
        {
            throw Error($"an offset points to byte {offset}, outside the file ({Length} bytes)", Offset);
        }
        _stream.Position = offset;
        Offset = offset;
    }

    /// <summary>Fills <paramref name="target"/> or fails naming <paramref name="what"/> as what the file ends inside.</summary>
    public void ReadExactly(Span<byte> target, string what)
    {
        if (target.Length > Remaining)
        {
            throw Error($"the file ends inside {what}: {target.Length} bytes needed, {Remaining} left", Offset);
        }
        _stream.ReadExactly(target);
        Offset += target.Length;
    }

    public ushort ReadUInt16(string what)
    {
        Span<byte> b = stackalloc byte[2];
        ReadExactly(b, what);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    public uint ReadUInt32(string what)
    {
        Span<byte> b = stackalloc byte[4];
        ReadExactly(b, what);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public byte ReadByte(string what)
    {
        Span<byte> b = stackalloc byte[1];
        ReadExactly(b, what);
        return b[0];
    }

    /// <summary>A string of <paramref name="length"/> bytes (UTF-8), refused above <paramref name="limit"/> or past the end.</summary>
    public string ReadString(long length, int limit, string what)
    {
        long at = Offset;
        if (length > limit)
        {
            throw Error($"{what} claims {length} bytes; the limit is {limit}", at);
        }
        if (length > Remaining)
        {
            throw Error($"the file ends inside {what}: {length} bytes claimed, {Remaining} left", at);
        }
        Span<byte> bytes = length <= 256 ? stackalloc byte[(int)length] : new byte[length];
        ReadExactly(bytes, what);
        return Encoding.UTF8.GetString(bytes);
    }

    public void Skip(long count, string what)
    {
        if (count > Remaining)
        {
            throw Error($"the file ends inside {what}: {count} bytes claimed, {Remaining} left", Offset);
        }
        Seek(Offset + count);
    }

    public void Dispose() => _stream.Dispose();
}
