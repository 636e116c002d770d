using GenoFlow.Core.Formats.Binary;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Bgen;

/// <summary>
/// Reads variant data blocks one after another (BGEN spec, "Variant data blocks"): the identifying data is parsed
/// here, in file order; the genotype bytes are copied as they are into a batch buffer for
/// <see cref="BgenGenotypeDecoder"/> to decompress and decode in parallel. Every length is checked against the bytes
/// left in the file and a limit before it is used.
/// </summary>
internal sealed class BgenBlockReader
{
    /// <summary>Alleles per variant above this are refused (plink2's limit too).</summary>
    public const int MaxAlleles = 255;

    /// <summary>An allele longer than this is refused.</summary>
    public const int MaxAlleleBytes = 1 << 20;

    /// <summary>
    /// A genotype block may not claim to inflate to more than 256 bytes per sample (a quarter of a default tile row's
    /// 1,024): that is 32-bit probabilities for 8 alleles, far above what biobanks ship, and it keeps memory bounded
    /// whatever a corrupt length says.
    /// </summary>
    public const int MaxUncompressedBytesPerSample = 256;

    private readonly BinaryInput _input;
    private readonly BgenHeader _header;
    private readonly long _maxUncompressed;
    private string _lastChrom = "";

    public BgenBlockReader(BinaryInput input, BgenHeader header)
    {
        _input = input;
        _header = header;
        _maxUncompressed = 64 + ((long)MaxUncompressedBytesPerSample * header.SampleCount);
        VariantsRead = 0;
    }

    public uint VariantsRead { get; private set; }

    public double Progress => _input.Length == 0 ? 1 : (double)_input.Offset / _input.Length;

    /// <summary>
    /// Reads the next block, appending its genotype bytes to <paramref name="buffer"/> at <paramref name="used"/>
    /// (grown as needed). False once the header's variant count has been read.
    /// </summary>
    public bool ReadNext(ref BgenBlock block, ref byte[] buffer, ref int used)
    {
        if (VariantsRead == _header.VariantCount)
        {
            return false;
        }
        block.Offset = _input.Offset;
        if (_header.Layout == 1)
        {
            long at = _input.Offset;
            uint n = _input.ReadUInt32("a v1.1 variant's sample count");
            if (n != _header.SampleCount)
            {
                throw _input.Error($"variant {VariantsRead + 1} is stored for {n} samples but the header says {_header.SampleCount}", at);
            }
        }
        string varId = ReadShortString("the variant ID");
        string rsId = ReadShortString("the rsID");
        string chrom = ReadShortString("the chromosome");
        chrom = string.Equals(chrom, _lastChrom, StringComparison.Ordinal) ? _lastChrom : (_lastChrom = chrom);
        long position = _input.ReadUInt32("the position");
        int alleleCount = 2;
        if (_header.Layout == 2)
        {
            long at = _input.Offset;
            alleleCount = _input.ReadUInt16("the allele count");
            if (alleleCount is < 2 or > MaxAlleles)
            {
                throw _input.Error($"variant {VariantsRead + 1} has {alleleCount} alleles; 2 to {MaxAlleles} are supported", at);
            }
        }
        string refAllele = ReadAllele();
        var variants = new VariantInfo[alleleCount - 1];
        string id = rsId.Length > 0 ? rsId : varId.Length > 0 ? varId : ".";
        for (int k = 0; k < variants.Length; k++)
        {
            variants[k] = new VariantInfo(chrom, position, id, refAllele, ReadAllele());
        }
        block.Variants = variants;
        block.AlleleCount = alleleCount;
        ReadGenotypeBytes(ref block, ref buffer, ref used);
        VariantsRead++;
        return true;
    }

    private void ReadGenotypeBytes(ref BgenBlock block, ref byte[] buffer, ref int used)
    {
        long at = _input.Offset;
        long stored;
        long uncompressed;
        if (_header.Layout == 1)
        {
            uncompressed = 6L * _header.SampleCount;
            stored = _header.Compression == BgenCompression.None ? uncompressed : _input.ReadUInt32("the compressed genotype length");
        }
        else
        {
            long total = _input.ReadUInt32("the genotype block length");
            if (_header.Compression == BgenCompression.None)
            {
                stored = uncompressed = total;
            }
            else
            {
                if (total < 4)
                {
                    throw _input.Error($"genotype block length {total} is too short to hold its decompressed length", at);
                }
                uncompressed = _input.ReadUInt32("the decompressed genotype length");
                stored = total - 4;
            }
        }
        if (uncompressed > _maxUncompressed)
        {
            throw _input.Error($"variant {VariantsRead + 1}'s genotype block claims {uncompressed} bytes decompressed; the limit is {MaxUncompressedBytesPerSample} per sample ({_maxUncompressed})", at);
        }
        if (stored > _input.Remaining)
        {
            throw _input.Error($"the file ends inside variant {VariantsRead + 1}'s genotype block: {stored} bytes claimed, {_input.Remaining} left", _input.Offset);
        }
        if (stored > _maxUncompressed + 1024 + (_maxUncompressed / 8))
        {
            throw _input.Error($"variant {VariantsRead + 1}'s genotype block claims {stored} compressed bytes, more than any {_maxUncompressed}-byte block compresses to", at);
        }
        int length = (int)stored;
        if (used + length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(used + length, buffer.Length * 2));
        }
        block.DataOffset = _input.Offset;
        _input.ReadExactly(buffer.AsSpan(used, length), $"variant {VariantsRead + 1}'s genotype block");
        block.DataStart = used;
        block.DataLength = length;
        block.UncompressedLength = (int)uncompressed;
        used += length;
    }

    private string ReadShortString(string what)
    {
        ushort length = _input.ReadUInt16($"{what}'s length");
        return _input.ReadString(length, ushort.MaxValue, what);
    }

    private string ReadAllele()
    {
        uint length = _input.ReadUInt32("an allele's length");
        return _input.ReadString(length, MaxAlleleBytes, "an allele");
    }
}
