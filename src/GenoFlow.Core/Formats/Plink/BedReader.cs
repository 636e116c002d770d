using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Plink;

/// <summary>
/// Reads a PLINK 1 binary fileset (PREFIX.bed, PREFIX.bim, PREFIX.fam). The .fam is read whole (samples are needed up
/// front); the .bim is read line by line alongside the .bed rows, so memory does not grow with the number of variants.
/// Only SNP-major .bed files (mode byte 0x01, what every PLINK since 1.0 writes) are supported.
/// </summary>
public sealed class BedReader : IGenotypeReader
{
    /// <summary>The three bytes every SNP-major .bed starts with.</summary>
    internal static ReadOnlySpan<byte> Header => [0x6c, 0x1b, 0x01];

    internal const int HeaderBytes = 3;
    private const int BedBufferBytes = 1 << 20;

    private readonly FileStream _bed;
    private readonly BimReader _bim;
    private readonly string _bedPath;
    private readonly int _rowBytes;
    private long _variantsRead;

    private BedReader(string bedPath, FileStream bed, BimReader bim, IReadOnlyList<SampleInfo> samples, long variantCount)
    {
        _bedPath = bedPath;
        _bed = bed;
        _bim = bim;
        Samples = samples;
        VariantCount = variantCount;
        _rowBytes = PackedGenotypes.RowBytes(samples.Count);
    }

    public IReadOnlyList<SampleInfo> Samples { get; }

    /// <summary>Number of variants (non-blank .bim lines), counted when the fileset was opened.</summary>
    public long VariantCount { get; }

    public double Progress => VariantCount == 0 ? 1 : (double)_variantsRead / VariantCount;

    /// <summary>Opens PREFIX.bed/.bim/.fam, checking the .bed header and that its size matches the .bim and .fam.</summary>
    public static BedReader Open(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string bedPath = PlinkText.MemberPath(prefix, "bed");
        string bimPath = PlinkText.MemberPath(prefix, "bim");
        string famPath = PlinkText.MemberPath(prefix, "fam");

        List<SampleInfo> samples = FamFile.Read(famPath);
        long variantCount = BimReader.CountRecords(bimPath);
        if (variantCount == 0)
        {
            throw new GenoFlowFormatException(bimPath, "the .bim file holds no variants");
        }

        FileStream bed = PlinkFile.OpenRead(bedPath, BedBufferBytes);
        BimReader? bim = null;
        try
        {
            CheckHeaderAndSize(bedPath, bed, samples.Count, variantCount);
            bim = new BimReader(bimPath);
            return new BedReader(bedPath, bed, bim, samples, variantCount);
        }
        catch
        {
            bim?.Dispose();
            bed.Dispose();
            throw;
        }
    }

    private static void CheckHeaderAndSize(string bedPath, FileStream bed, int sampleCount, long variantCount)
    {
        long actual = bed.Length;
        if (actual == 0)
        {
            throw new GenoFlowFormatException(bedPath, "the .bed file is empty", byteOffset: 0);
        }
        Span<byte> header = stackalloc byte[HeaderBytes];
        int got = bed.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        if (got < 2 || header[0] != Header[0] || header[1] != Header[1])
        {
            string seen = Convert.ToHexString(header[..got]).ToLowerInvariant();
            throw new GenoFlowFormatException(bedPath, $"not a PLINK .bed file: expected magic bytes 6c 1b, found '{seen}'", byteOffset: 0);
        }
        if (got < HeaderBytes)
        {
            throw new GenoFlowFormatException(bedPath, "the .bed file ends before its mode byte (expected 01, SNP-major)", byteOffset: 2);
        }
        if (header[2] == 0x00)
        {
            throw new GenoFlowFormatException(bedPath, "individual-major .bed (mode byte 00) is not supported; expected mode 01 (SNP-major). Convert it with 'plink --bfile PREFIX --make-bed'", byteOffset: 2);
        }
        if (header[2] != Header[2])
        {
            throw new GenoFlowFormatException(bedPath, $"unknown .bed mode byte {header[2]:x2}; expected 01 (SNP-major)", byteOffset: 2);
        }
        long expected = HeaderBytes + (variantCount * PackedGenotypes.RowBytes(sampleCount));
        if (actual != expected)
        {
            throw new GenoFlowFormatException(
                bedPath,
                $"size is {actual} bytes but {variantCount} variants (.bim) x {sampleCount} samples (.fam) need 3 + {variantCount} x {PackedGenotypes.RowBytes(sampleCount)} = {expected} bytes",
                byteOffset: Math.Min(actual, expected));
        }
    }

    public bool ReadNext([NotNullWhen(true)] out VariantInfo? variant, Span<byte> packedRow)
    {
        if (packedRow.Length != _rowBytes)
        {
            throw new ArgumentException($"row holds {packedRow.Length} bytes; {Samples.Count} samples need {_rowBytes}", nameof(packedRow));
        }
        variant = _bim.ReadNext();
        if (variant is null)
        {
            if (_variantsRead != VariantCount)
            {
                throw new GenoFlowFormatException(_bim.Path, $"the file ended after {_variantsRead} of {VariantCount} variants; was it changed while being read?");
            }
            return false;
        }
        long offset = HeaderBytes + (_variantsRead * _rowBytes);
        if (_bed.ReadAtLeast(packedRow, _rowBytes, throwOnEndOfStream: false) != _rowBytes)
        {
            throw new GenoFlowFormatException(_bedPath, $"the .bed ends inside the row of variant {_variantsRead + 1} ('{variant.Id}', .bim line {_bim.LineNumber})", byteOffset: offset);
        }
        PackedGenotypes.ClearTrailingBits(packedRow, Samples.Count);
        _variantsRead++;
        return true;
    }

    public void Dispose()
    {
        _bim.Dispose();
        _bed.Dispose();
    }
}
