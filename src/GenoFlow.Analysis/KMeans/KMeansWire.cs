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
        byte version = reader.ReadByte();
        if (version != Version)
        {
            throw new InvalidDataException($"{operation}: message version {version} is not supported");
        }
        return read(reader);
    }

    public static void WriteDoubles(BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static double[] ReadDoubles(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        return MemoryMarshal.Cast<byte, double>(reader.ReadBytes(checked(count * sizeof(double)))).ToArray();
    }

    public static void WriteLongs(BinaryWriter writer, ReadOnlySpan<long> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static long[] ReadLongs(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        return MemoryMarshal.Cast<byte, long>(reader.ReadBytes(checked(count * sizeof(long)))).ToArray();
    }
}
