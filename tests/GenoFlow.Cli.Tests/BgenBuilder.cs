using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Writes layout-2 BGEN files straight from the spec for the cases plink2 cannot write: multi-allelic variants,
/// 32-bit probabilities, mixed ploidy, and deliberately broken fields.
/// </summary>
internal sealed class BgenBuilder
{
    public sealed record Variant(string Chrom, uint Position, string Id, string[] Alleles, byte[] Ploidy, bool Phased, int Bits, ulong[] Probabilities);

    private readonly List<byte[]> _blocks = [];

    public BgenBuilder(int sampleCount, string[]? sampleIds = null, int compression = 1)
    {
        SampleCount = sampleCount;
        SampleIds = sampleIds;
        Compression = compression;
    }

    public int SampleCount { get; }

    public string[]? SampleIds { get; }

    public int Compression { get; }

    /// <summary>
    /// Adds a variant; <paramref name="editData"/> may break the uncompressed genotype data before it is compressed,
    /// and <paramref name="statedLengthError"/> is added to the decompressed length the block states.
    /// </summary>
    public void Add(Variant v, Action<byte[]>? editData = null, int statedLengthError = 0)
    {
        var identity = new MemoryStream();
        WriteString16(identity, v.Id);
        WriteString16(identity, v.Id);
        WriteString16(identity, v.Chrom);
        WriteUInt32(identity, v.Position);
        WriteUInt16(identity, (ushort)v.Alleles.Length);
        foreach (string allele in v.Alleles)
        {
            WriteUInt32(identity, (uint)Encoding.UTF8.GetByteCount(allele));
            identity.Write(Encoding.UTF8.GetBytes(allele));
        }

        var data = new MemoryStream();
        WriteUInt32(data, (uint)SampleCount);
        WriteUInt16(data, (ushort)v.Alleles.Length);
        data.WriteByte((byte)v.Ploidy.Select(p => p & 0x3F).Min());
        data.WriteByte((byte)v.Ploidy.Select(p => p & 0x3F).Max());
        data.Write(v.Ploidy);
        data.WriteByte(v.Phased ? (byte)1 : (byte)0);
        data.WriteByte((byte)v.Bits);
        var packed = new byte[((v.Probabilities.Length * v.Bits) + 7) / 8];
        for (int i = 0; i < v.Probabilities.Length; i++)
        {
            for (int b = 0; b < v.Bits; b++)
            {
                if (((v.Probabilities[i] >> b) & 1) != 0)
                {
                    long bit = ((long)i * v.Bits) + b;
                    packed[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                }
            }
        }
        data.Write(packed);
        byte[] raw = data.ToArray();
        editData?.Invoke(raw);

        if (Compression == 0)
        {
            WriteUInt32(identity, (uint)raw.Length);
            identity.Write(raw);
        }
        else
        {
            byte[] compressed = Compress(raw);
            WriteUInt32(identity, (uint)compressed.Length + 4);
            WriteUInt32(identity, (uint)(raw.Length + statedLengthError));
            identity.Write(compressed);
        }
        _blocks.Add(identity.ToArray());
    }

    public void Write(string path)
    {
        var sampleBlock = new MemoryStream();
        if (SampleIds is not null)
        {
            var ids = new MemoryStream();
            foreach (string id in SampleIds)
            {
                WriteString16(ids, id);
            }
            WriteUInt32(sampleBlock, (uint)ids.Length + 8);
            WriteUInt32(sampleBlock, (uint)SampleIds.Length);
            ids.WriteTo(sampleBlock);
        }
        using var file = File.Create(path);
        WriteUInt32(file, (uint)(20 + sampleBlock.Length));
        WriteUInt32(file, 20);
        WriteUInt32(file, (uint)_blocks.Count);
        WriteUInt32(file, (uint)SampleCount);
        file.Write("bgen"u8);
        WriteUInt32(file, (uint)Compression | (2u << 2) | (SampleIds is null ? 0 : 0x8000_0000u));
        sampleBlock.WriteTo(file);
        foreach (byte[] block in _blocks)
        {
            file.Write(block);
        }
    }

    /// <summary>
    /// A variant holding certain calls written as VCF GT strings ("0/2", "1|0", "1" for a haploid, "./." or "." missing):
    /// each call's probability is 1, so its hard call is the call itself.
    /// </summary>
    public static Variant FromCalls(string chrom, uint position, string id, string[] alleles, string[] calls, bool phased, int bits)
    {
        int k = alleles.Length;
        ulong one = (1UL << bits) - 1;
        var ploidy = new byte[calls.Length];
        var values = new List<ulong>();
        for (int s = 0; s < calls.Length; s++)
        {
            string[] parts = calls[s].Split('/', '|');
            bool missing = parts[0] == ".";
            ploidy[s] = (byte)(parts.Length | (missing ? 0x80 : 0));
            int[] a = missing ? new int[parts.Length] : parts.Select(int.Parse).ToArray();
            if (phased || parts.Length == 1)
            {
                foreach (int allele in a)
                {
                    for (int v = 0; v < k - 1; v++)
                    {
                        values.Add(!missing && allele == v ? one : 0);
                    }
                }
            }
            else
            {
                int lo = Math.Min(a[0], a[1]);
                int hi = Math.Max(a[0], a[1]);
                int index = (hi * (hi + 1) / 2) + lo;
                for (int g = 0; g < (k * (k + 1) / 2) - 1; g++)
                {
                    values.Add(!missing && g == index ? one : 0);
                }
            }
        }
        return new Variant(chrom, position, id, alleles, ploidy, phased, bits, values.ToArray());
    }

    private byte[] Compress(byte[] raw)
    {
        if (Compression == 2)
        {
            using var zstd = new ZstdSharp.Compressor();
            return zstd.Wrap(raw).ToArray();
        }
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }
        return output.ToArray();
    }

    private static void WriteString16(Stream s, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        WriteUInt16(s, (ushort)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteUInt16(Stream s, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        s.Write(b);
    }

    private static void WriteUInt32(Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        s.Write(b);
    }
}
