using System.Globalization;
using System.Text;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Plink;

/// <summary>
/// Writes a PLINK 1 binary fileset as plink2 --make-bed does: SNP-major .bed, tab-separated .bim (chrom id cM pos A1=ALT
/// A2=REF) and .fam. All three go to temporary files beside the targets and are renamed into place by
/// <see cref="Complete"/>; disposing an incomplete writer deletes them.
/// </summary>
public sealed class BedWriter : IGenotypeWriter
{
    private const int BedBufferBytes = 1 << 20;
    private static readonly System.Buffers.SearchValues<char> Whitespace = System.Buffers.SearchValues.Create(" \t\r\n");

    private readonly int _sampleCount;
    private readonly int _rowBytes;
    private readonly StagedFiles _files;
    private readonly FileStream _bed;
    private readonly StreamWriter _bim;
    private bool _completed;
    private bool _disposed;

    private BedWriter(string prefix, IReadOnlyList<SampleInfo> samples)
    {
        _sampleCount = samples.Count;
        _rowBytes = PackedGenotypes.RowBytes(samples.Count);
        // Renamed in this order on Complete: once the .bed appears, its .bim and .fam are already in place.
        _files = new StagedFiles(PlinkText.MemberPath(prefix, "fam"), PlinkText.MemberPath(prefix, "bim"), PlinkText.MemberPath(prefix, "bed"));
        try
        {
            using (var fam = new StreamWriter(_files.Temp(0), append: false, new UTF8Encoding(false)))
            {
                FamFile.Write(fam, samples);
            }
            _bed = new FileStream(_files.Temp(2), FileMode.CreateNew, FileAccess.Write, FileShare.None, BedBufferBytes);
            _bed.Write(BedReader.Header);
            _bim = new StreamWriter(_files.Temp(1), append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        }
        catch
        {
            _bed?.Dispose();
            _files.DeleteTemps();
            throw;
        }
    }

    /// <summary>Starts writing PREFIX.bed/.bim/.fam for <paramref name="samples"/> (IIDs must be unique).</summary>
    public static BedWriter Create(string prefix, IReadOnlyList<SampleInfo> samples)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("a .bed fileset needs at least one sample", nameof(samples));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (SampleInfo s in samples)
        {
            if (!seen.Add(s.SampleId))
            {
                throw new ArgumentException($"sample ID '{s.SampleId}' appears more than once", nameof(samples));
            }
        }
        FamFile.RequireWritable(PlinkText.MemberPath(prefix, "fam"), samples);
        return new BedWriter(prefix, samples);
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
        CheckField(variant.Chrom, "chromosome", variant);
        CheckField(variant.Id, "ID", variant);
        CheckField(variant.Ref, "REF allele", variant);
        CheckField(variant.Alt, "ALT allele", variant);

        int used = _sampleCount & 3;
        if (used == 0 || (packedRow[^1] >> (used << 1)) == 0)
        {
            _bed.Write(packedRow);
        }
        else
        {
            // Trailing bits are zero by contract; keep the file canonical even if a caller slips.
            _bed.Write(packedRow[..^1]);
            _bed.WriteByte((byte)(packedRow[^1] & ((1 << (used << 1)) - 1)));
        }

        _bim.Write(variant.Chrom);
        _bim.Write('\t');
        _bim.Write(variant.Id);
        _bim.Write('\t');
        WriteNumber(variant.CentiMorgans);
        _bim.Write('\t');
        WriteNumber(variant.Position);
        _bim.Write('\t');
        _bim.Write(variant.Alt);
        _bim.Write('\t');
        _bim.Write(variant.Ref);
        _bim.Write('\n');
    }

    /// <summary>A .bim column must be non-empty and free of the whitespace that separates columns.</summary>
    private static void CheckField(string value, string what, VariantInfo variant)
    {
        if (value.Length == 0 || value.AsSpan().IndexOfAny(Whitespace) >= 0)
        {
            throw new ArgumentException($"variant {variant.Id} at {variant.Chrom}:{variant.Position}: the {what} '{value}' is empty or contains whitespace, which a .bim cannot hold", nameof(variant));
        }
    }

    private void WriteNumber<T>(T value)
        where T : ISpanFormattable
    {
        Span<char> text = stackalloc char[32];
        // Shortest round-trip form: 0 stays "0", 0.5 stays "0.5".
        if (!value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new UnreachableException("a number did not fit in 32 characters");
        }
        _bim.Write(text[..written]);
    }

    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }
        _bed.Flush(flushToDisk: false);
        _bed.Dispose();
        _bim.Dispose();
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
        _bed.Dispose();
        _bim.Dispose();
        if (!_completed)
        {
            _files.DeleteTemps();
        }
    }
}
