using System.Text;
using GenoFlow.Core.Formats.Bgzf;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// Writes a VCFv4.3 file with GT only: each record is <c>CHROM POS ID REF ALT . . . GT</c> and one call per sample
/// (0/0, 0/1, 1/1 or ./.). BGZF-compressed when the path ends in ".gz", plain otherwise. Output goes to a temporary file
/// beside the target and is renamed by <see cref="Complete"/>; disposing without it deletes the temporary files.
/// </summary>
/// <remarks>
/// htslib cannot write records of contigs missing from the header, so the header lists every contig (##contig, in order of
/// appearance). Contigs are only known once all records are written: records stream to a temporary body file, and
/// <see cref="Complete"/> writes the header and appends the body bytes unchanged (BGZF files concatenate, so compressed
/// blocks are copied, not recompressed). The cost is one extra sequential copy of the output.
/// </remarks>
public sealed class VcfWriter : IGenotypeWriter
{
    private const int BufferBytes = 1 << 20;

    /// <summary>"\t0/0" etc. per 2-bit code, in <see cref="PackedGenotypes"/> order.</summary>
    private static readonly byte[][] CallByCode = ["\t1/1"u8.ToArray(), "\t./."u8.ToArray(), "\t0/1"u8.ToArray(), "\t0/0"u8.ToArray()];

    /// <summary>16 bytes per packed byte value: the four calls it holds.</summary>
    private static readonly byte[] CallsByPackedByte = BuildCallsByPackedByte();

    private readonly string _path;
    private readonly string _bodyPath;
    private readonly bool _compressed;
    private readonly int _compressionLevel;
    private readonly SampleInfo[] _samples;
    private readonly List<string> _contigs = [];
    private readonly HashSet<string> _contigSet = new(StringComparer.Ordinal);
    private readonly int _sampleCount;
    private readonly int _rowBytes;
    private Stream? _output;
    private byte[] _line = new byte[4096];
    private string _chrom = "";
    private byte[] _chromBytes = [];

    private VcfWriter(string path, string bodyPath, Stream output, IReadOnlyList<SampleInfo> samples, bool compressed, int compressionLevel)
    {
        _path = path;
        _bodyPath = bodyPath;
        _output = output;
        _samples = samples.ToArray();
        _sampleCount = samples.Count;
        _rowBytes = PackedGenotypes.RowBytes(_sampleCount);
        _compressed = compressed;
        _compressionLevel = compressionLevel;
    }

    /// <param name="path">Target file; ".gz" selects BGZF.</param>
    /// <param name="samples">Samples in row order; their <see cref="SampleInfo.SampleId"/>s become the VCF sample names.</param>
    /// <param name="compressionLevel">zlib level 0..9 for ".gz" output.</param>
    public static VcfWriter Create(string path, IReadOnlyList<SampleInfo> samples, int compressionLevel = 6)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegative(compressionLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);
        string fullPath = Path.GetFullPath(path);
        bool compressed = fullPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        string bodyPath = TempPathBeside(fullPath, "body");
        Stream output = new FileStream(bodyPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes);
        if (compressed)
        {
            output = new BgzfWriter(output, compressionLevel);
        }
        return new VcfWriter(fullPath, bodyPath, output, samples, compressed, compressionLevel);
    }

    private static string TempPathBeside(string path, string role) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{role}.{Guid.NewGuid():N}.tmp");

    private static byte[] BuildCallsByPackedByte()
    {
        byte[] table = new byte[256 * 16];
        for (int b = 0; b < 256; b++)
        {
            for (int s = 0; s < 4; s++)
            {
                CallByCode[(b >> (2 * s)) & 3].CopyTo(table, b * 16 + s * 4);
            }
        }
        return table;
    }

    private byte[] HeaderBytes()
    {
        var header = new StringBuilder();
        header.Append("##fileformat=VCFv4.3\n##source=GenoFlow\n");
        foreach (string contig in _contigs)
        {
            header.Append("##contig=<ID=").Append(contig).Append(">\n");
        }
        header.Append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
        header.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
        if (_samples.Length > 0)
        {
            header.Append("\tFORMAT");
            foreach (SampleInfo sample in _samples)
            {
                header.Append('\t').Append(sample.SampleId);
            }
        }
        header.Append('\n');
        return Encoding.UTF8.GetBytes(header.ToString());
    }

    public void Write(VariantInfo variant, ReadOnlySpan<byte> packedRow)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ObjectDisposedException.ThrowIf(_output is null, this);
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"row holds {packedRow.Length} bytes; {_sampleCount} samples need {_rowBytes}", nameof(packedRow));
        }
        if (!string.Equals(variant.Chrom, _chrom, StringComparison.Ordinal))
        {
            _chrom = variant.Chrom;
            _chromBytes = Encoding.UTF8.GetBytes(variant.Chrom);
            if (_contigSet.Add(variant.Chrom))
            {
                _contigs.Add(variant.Chrom);
            }
        }
        int maxLength = _chromBytes.Length + 20 + 3 * (variant.Id.Length + variant.Ref.Length + variant.Alt.Length) + 16 + 16 * _rowBytes + 1;
        if (_line.Length < maxLength)
        {
            _line = new byte[Math.Max(maxLength, _line.Length * 2)];
        }
        Span<byte> line = _line;
        _chromBytes.CopyTo(line);
        int p = _chromBytes.Length;
        line[p++] = (byte)'\t';
        variant.Position.TryFormat(line[p..], out int written);
        p += written;
        p += AppendField(line[p..], variant.Id);
        p += AppendField(line[p..], variant.Ref);
        p += AppendField(line[p..], variant.Alt);
        ReadOnlySpan<byte> middle = _sampleCount > 0 ? "\t.\t.\t.\tGT"u8 : "\t.\t.\t."u8;
        middle.CopyTo(line[p..]);
        p += middle.Length;
        int fullBytes = _sampleCount >> 2;
        ReadOnlySpan<byte> table = CallsByPackedByte;
        for (int i = 0; i < fullBytes; i++)
        {
            table.Slice(packedRow[i] * 16, 16).CopyTo(line[p..]);
            p += 16;
        }
        for (int s = fullBytes * 4; s < _sampleCount; s++)
        {
            CallByCode[PackedGenotypes.GetCode(packedRow, s)].CopyTo(line[p..]);
            p += 4;
        }
        line[p++] = (byte)'\n';
        _output.Write(line[..p]);
    }

    private static int AppendField(Span<byte> destination, string value)
    {
        destination[0] = (byte)'\t';
        return 1 + Encoding.UTF8.GetBytes(value, destination[1..]);
    }

    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_output is null, this);
        _output.Dispose();
        _output = null;
        string finalTemp = TempPathBeside(_path, "final");
        try
        {
            using (var final = new FileStream(finalTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
            {
                if (_compressed)
                {
                    using var header = new BgzfWriter(final, _compressionLevel, leaveOpen: true, writeEofMarker: false);
                    header.Write(HeaderBytes());
                }
                else
                {
                    final.Write(HeaderBytes());
                }
                using var body = new FileStream(_bodyPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);
                body.CopyTo(final, BufferBytes);
            }
            File.Move(finalTemp, _path, overwrite: true);
        }
        finally
        {
            File.Delete(finalTemp);
            File.Delete(_bodyPath);
        }
    }

    public void Dispose()
    {
        if (_output is not null)
        {
            try
            {
                _output.Dispose();
            }
            finally
            {
                _output = null;
                File.Delete(_bodyPath);
            }
        }
    }
}
