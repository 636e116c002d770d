using System.Runtime.InteropServices;
using System.Text;

namespace GenoFlow.Analysis.KMeans;

/// <summary>
/// The byte format of the k-means operations' inputs and partials: a version byte, then fields written by
/// <see cref="BinaryWriter"/> (little-endian), double and integer arrays as a count and raw little-endian values.
/// </summary>
internal static class KMeansWire
{
    public const byte Version = 1;

    /// <summary>
    /// Most columns a k-means message may describe: an identity scaling carries only its width, so this bounds what
    /// a message of a few bytes can make a worker allocate (8 MiB a vector).
    /// </summary>
    public const int MaxDimensions = 1 << 20;

    public static byte[] Encode(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            write(writer);
        }
        return stream.ToArray();
    }

    public static T Decode<T>(ReadOnlySpan<byte> bytes, string operation, Func<BinaryReader, T> read)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray(), writable: false), Encoding.UTF8);
        try
        {
            byte version = reader.ReadByte();
            if (version != Version)
            {
                throw new InvalidDataException($"{operation}: message version {version} is not supported");
            }
            return read(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException)
        {
            throw new InvalidDataException($"{operation}: malformed message of {bytes.Length} bytes: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks what an operation received against the shard it runs on, before anything is sized from it: the scaling
    /// has the shard's width and the centres (or candidates) are whole rows of it, at least one.
    /// </summary>
    public static void CheckShape(string operation, int columns, FeatureScaling scaling, ReadOnlySpan<double> centres)
    {
        if (scaling.Dimensions != columns || centres.Length == 0 || centres.Length % columns != 0)
        {
            throw new InvalidDataException($"{operation}: the message describes {scaling.Dimensions} columns and {centres.Length} centre values; the shard has {columns} columns");
        }
    }

    public static void WriteDoubles(BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static double[] ReadDoubles(BinaryReader reader) =>
        MemoryMarshal.Cast<byte, double>(reader.ReadBytes(ByteCount(reader, sizeof(double)))).ToArray();

    public static void WriteLongs(BinaryWriter writer, ReadOnlySpan<long> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static long[] ReadLongs(BinaryReader reader) =>
        MemoryMarshal.Cast<byte, long>(reader.ReadBytes(ByteCount(reader, sizeof(long)))).ToArray();

    /// <summary>
    /// An array's count, checked against the bytes left in the message before anything is allocated (BinaryReader's
    /// ReadBytes allocates the count it is given: a 40-byte message claiming 2^28 doubles used to cost 2 GB).
    /// </summary>
    private static int ByteCount(BinaryReader reader, int elementSize)
    {
        int count = reader.ReadInt32();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * elementSize > left)
        {
            throw new InvalidDataException($"an array claims {count} values of {elementSize} bytes; {left} bytes are left");
        }
        return count * elementSize;
    }
}
