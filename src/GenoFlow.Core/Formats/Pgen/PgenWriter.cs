using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// Writes a PLINK 2 fileset: a .pgen in fixed-width hard-call mode (storage byte 0x02: a 12-byte header, then every
/// variant as 2-bit pgen codes, 0 REF/REF, 1 REF/ALT, 2 ALT/ALT, 3 missing), a .pvar (#CHROM POS ID REF ALT CM) and a
/// .psam (#FID IID PAT MAT SEX PHENO1). The fixed-width mode is the simplest valid .pgen, read by every plink2; the
/// variant count in its header is filled in by <see cref="Complete"/>. Files go to temporary names and are renamed into
/// place by <see cref="Complete"/>; disposing an incomplete writer deletes them.
/// </summary>
public sealed class PgenWriter : IGenotypeWriter
{
    private readonly int _sampleCount;
    private readonly int _rowBytes;
    private readonly StagedFiles _files;
    private readonly FileStream _pgen;
    private readonly StreamWriter _pvar;
    private readonly byte[] _row;
    private uint _variantCount;
    private bool _completed;
    private bool _disposed;

    private PgenWriter(string prefix, IReadOnlyList<SampleInfo> samples)
    {
        _sampleCount = samples.Count;
        _rowBytes = PackedGenotypes.RowBytes(samples.Count);
        _row = new byte[_rowBytes];
        // Renamed in this order on Complete: once the .pgen appears, its .pvar and .psam are already in place.
        _files = new StagedFiles(prefix + ".psam", prefix + ".pvar", prefix + ".pgen");
        try
        {
            using (var psam = new StreamWriter(_files.Temp(0), append: false, new UTF8Encoding(false)))
            {
                WritePsam(psam, samples);
            }
            _pvar = new StreamWriter(_files.Temp(1), append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
            _pvar.Write("#CHROM\tPOS\tID\tREF\tALT\tCM\n");
            _pgen = new FileStream(_files.Temp(2), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
            _pgen.Write(Header(0, samples.Count));
        }
        catch
        {
            _pvar?.Dispose();
            _pgen?.Dispose();
            _files.DeleteTemps();
            throw;
        }
    }

    public static PgenWriter Create(string prefix, IReadOnlyList<SampleInfo> samples)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("a .pgen fileset needs at least one sample", nameof(samples));
        }
        return new PgenWriter(prefix, samples);
    }

    public void Write(VariantInfo variant, ReadOnlySpan<byte> packedRow)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("the writer was completed; no more variants can be written");
        }
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"row holds {packedRow.Length} bytes; {_sampleCount} samples need {_rowBytes}", nameof(packedRow));
        }
        if (_variantCount == uint.MaxValue)
        {
            throw new InvalidOperationException("a .pgen holds at most 2^32 - 1 variants");
        }
        for (int i = 0; i < _rowBytes; i++)
        {
            _row[i] = PgenCodes.FromPacked[packedRow[i]];
        }
        // pgen rows, like .bed rows, end in zero bits.
        PackedGenotypes.ClearTrailingBits(_row, _sampleCount);
        _pgen.Write(_row);
        _variantCount++;
        _pvar.Write(string.Create(CultureInfo.InvariantCulture, $"{variant.Chrom}\t{variant.Position}\t{variant.Id}\t{variant.Ref}\t{variant.Alt}\t{variant.CentiMorgans}\n"));
    }

    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }
        _pgen.Position = 0;
        _pgen.Write(Header(_variantCount, _sampleCount));
        _pgen.Dispose();
        _pvar.Dispose();
        _files.Publish();
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _pgen.Dispose();
        _pvar.Dispose();
        if (!_completed)
        {
            _files.DeleteTemps();
        }
    }

    /// <summary>Magic, storage mode 0x02, variant and sample counts, control byte 0x40 (no provisional REF alleles).</summary>
    private static byte[] Header(uint variants, int samples)
    {
        var header = new byte[12];
        header[0] = 0x6c;
        header[1] = 0x1b;
        header[2] = 0x02;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(3), variants);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(7), (uint)samples);
        header[11] = 0x40;
        return header;
    }

    private static void WritePsam(TextWriter writer, IReadOnlyList<SampleInfo> samples)
    {
        writer.Write("#FID\tIID\tPAT\tMAT\tSEX\tPHENO1\n");
        foreach (SampleInfo s in samples)
        {
            string sex = s.Sex is 1 or 2 ? s.Sex.ToString(CultureInfo.InvariantCulture) : "NA";
            writer.Write($"{s.FamilyId}\t{s.SampleId}\t{s.FatherId}\t{s.MotherId}\t{sex}\t{s.Phenotype}\n");
        }
    }
}
