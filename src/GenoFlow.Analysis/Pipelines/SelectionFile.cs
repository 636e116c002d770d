using System.Buffers.Binary;
using System.IO.Hashing;
using GenoFlow.Analysis.Stages;
using GenoFlow.Core;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// A <see cref="DatasetSelection"/> kept for resuming a run: "GFSEL1\n", the dataset's variant and sample counts
/// (int64, int32, little-endian), for variants and then samples a byte (0 = all, 1 = flags follow) and one bit per item
/// (least significant first), and the xxh3-64 of everything before it. Written atomically; read back only for the
/// dataset it was made on (the counts must match).
/// </summary>
internal static class SelectionFile
{
    private static readonly byte[] Magic = "GFSEL1\n"u8.ToArray();

    public static void Write(string path, DatasetSelection selection)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        Span<byte> counts = stackalloc byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(counts, selection.Variants?.LongLength ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(counts[8..], selection.Samples?.Length ?? -1);
        buffer.Write(counts);
        foreach (bool[]? flags in new[] { selection.Variants, selection.Samples })
        {
            buffer.WriteByte(flags is null ? (byte)0 : (byte)1);
            if (flags is not null)
            {
                var bits = new byte[(flags.Length + 7) / 8];
                for (int i = 0; i < flags.Length; i++)
                {
                    bits[i >> 3] |= (byte)(flags[i] ? 1 << (i & 7) : 0);
                }
                buffer.Write(bits);
            }
        }
        Span<byte> hash = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(hash, XxHash3.HashToUInt64(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        buffer.Write(hash);
        string temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        File.WriteAllBytes(temporary, buffer.ToArray());
        File.Move(temporary, path, overwrite: true);
    }

    public static DatasetSelection Read(string path, Dataset dataset)
    {
        if (!File.Exists(path))
        {
            throw new GenoFlowFormatException(path, "missing: the run's saved selection is gone; run the stage again (--force)");
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 12 + 2 + 8 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new GenoFlowFormatException(path, "not a GenoFlow selection file", byteOffset: 0);
        }
        int end = bytes.Length - 8;
        if (XxHash3.HashToUInt64(bytes.AsSpan(0, end)) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(end)))
        {
            throw new GenoFlowFormatException(path, "checksum mismatch: the file was damaged or edited", byteOffset: end);
        }
        long variants = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(Magic.Length));
        int samples = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length + 8));
        int offset = Magic.Length + 12;
        bool[]? variantFlags = Flags(bytes, ref offset, end, variants, dataset.VariantCount, path);
        bool[]? sampleFlags = Flags(bytes, ref offset, end, samples, dataset.SampleCount, path);
        return new DatasetSelection(variantFlags, sampleFlags);
    }

    private static bool[]? Flags(byte[] bytes, ref int offset, int end, long count, long expected, string path)
    {
        if (offset >= end)
        {
            throw new GenoFlowFormatException(path, "truncated", byteOffset: offset);
        }
        if (bytes[offset++] == 0)
        {
            return null;
        }
        if (count != expected)
        {
            throw new GenoFlowFormatException(path, $"made for {count} items; the dataset has {expected}", byteOffset: offset);
        }
        long length = (count + 7) / 8;
        if (offset + length > end)
        {
            throw new GenoFlowFormatException(path, $"truncated: {length} bytes of flags expected", byteOffset: offset);
        }
        var flags = new bool[count];
        for (long i = 0; i < count; i++)
        {
            flags[i] = (bytes[offset + (i >> 3)] & (1 << (int)(i & 7))) != 0;
        }
        offset += (int)length;
        return flags;
    }
}
