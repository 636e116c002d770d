using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Vcf;

/// <summary>
/// Parses one VCF data line straight from its UTF-8 bytes into biallelic variants and packed rows (see <see cref="PackedGenotypes"/>).
/// Not thread-safe: the batch parser gives each worker its own instance (it caches the contig name and holds scratch arrays).
/// </summary>
/// <remarks>
/// Multi-allelic sites are split as <c>bcftools norm -m-</c> does: one record per ALT allele k, same CHROM/POS/ID/REF,
/// counting allele k as ALT and every other allele as REF. A site with ALT '.' (monomorphic) yields one record with ALT "."
/// whose calls count ALT alleles as 0 (as PLINK 2 keeps it). Only GT is read: it must be the first FORMAT key; without it every
/// call is missing. A call with any missing allele ('./1') is missing; haploid calls count as homozygous.
/// </remarks>
internal sealed class VcfRecordParser(int sampleCount)
{
    private const int FixedColumns = 8;
    private const int MissingAllele = -1;
    private const int NoAllele = -2;

    /// <summary>2-bit code for the fast path, indexed by (first allele class * 3 + second): classes '0', '1', '.'.</summary>
    private static ReadOnlySpan<byte> FastCodes =>
    [
        PackedGenotypes.HomRef, PackedGenotypes.Het, PackedGenotypes.Missing,
        PackedGenotypes.Het, PackedGenotypes.HomAlt, PackedGenotypes.Missing,
        PackedGenotypes.Missing, PackedGenotypes.Missing, PackedGenotypes.Missing,
    ];

    private static readonly string[] SingleCharStrings = CreateSingleCharStrings();

    private int[] _first = [];
    private int[] _second = [];
    private byte[] _chromBytes = [];
    private string _chrom = "";

    private static string[] CreateSingleCharStrings()
    {
        var strings = new string[128];
        for (int c = 0; c < strings.Length; c++)
        {
            strings[c] = ((char)c).ToString();
        }
        return strings;
    }

    /// <summary>Fast-path class per byte: '0' → 0, '1' → 1, '.' → 2, anything else → 4.</summary>
    private static readonly byte[] CallClass = CreateCallClass();

    private static byte[] CreateCallClass()
    {
        byte[] table = new byte[256];
        table.AsSpan().Fill(4);
        table['0'] = 0;
        table['1'] = 1;
        table['.'] = 2;
        return table;
    }

    /// <summary>Parses <paramref name="line"/> (no line terminator); on failure sets <see cref="ParsedRecord.Error"/> and returns false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Parse(ReadOnlySpan<byte> line, Span<byte> firstRow, ref ParsedRecord record)
    {
        Debug.Assert(firstRow.Length == PackedGenotypes.RowBytes(sampleCount));
        if (line[0] == (byte)'#')
        {
            return Fail(ref record, 1, "header line after the #CHROM line; expected a data record");
        }
        int expectedColumns = sampleCount > 0 ? FixedColumns + 1 + sampleCount : FixedColumns;
        Span<int> starts = stackalloc int[FixedColumns + 2];
        int fixedToFind = sampleCount > 0 ? FixedColumns + 1 : FixedColumns;
        starts[0] = 0;
        int p = 0;
        for (int c = 1; c <= fixedToFind; c++)
        {
            int tab = line[p..].IndexOf((byte)'\t');
            if (tab < 0)
            {
                if (c == fixedToFind && sampleCount == 0)
                {
                    starts[c] = line.Length + 1;
                    break;
                }
                return FailColumnCount(ref record, line, expectedColumns);
            }
            p += tab + 1;
            starts[c] = p;
        }
        ReadOnlySpan<byte> Column(Span<int> s, ReadOnlySpan<byte> l, int c) => l[s[c]..(s[c + 1] - 1)];

        ReadOnlySpan<byte> posText = Column(starts, line, 1);
        if (!TryParsePosition(posText, out long position))
        {
            return Fail(ref record, 2, $"POS must be a non-negative integer, found '{Encoding.UTF8.GetString(posText)}'");
        }
        ReadOnlySpan<byte> alt = Column(starts, line, 4);
        int altCount = alt.SequenceEqual("."u8) ? 0 : alt.Count((byte)',') + 1;
        string chrom = Chrom(Column(starts, line, 0));
        string id = Text(Column(starts, line, 2));
        string reference = Text(Column(starts, line, 3));
        var variants = new VariantInfo[Math.Max(1, altCount)];
        if (altCount == 0)
        {
            variants[0] = new VariantInfo(chrom, position, id, reference, ".");
        }
        else
        {
            int k = 0;
            foreach (Range r in alt.Split((byte)','))
            {
                variants[k++] = new VariantInfo(chrom, position, id, reference, Text(alt[r]));
            }
        }
        record.Variants = variants;
        if (sampleCount == 0)
        {
            if (line[(starts[FixedColumns] - 1)..].Contains((byte)'\t'))
            {
                return FailColumnCount(ref record, line, expectedColumns);
            }
            return true;
        }

        ReadOnlySpan<byte> format = line[starts[FixedColumns]..];
        int formatEnd = format.IndexOf((byte)'\t');
        format = formatEnd < 0 ? format : format[..formatEnd];
        int samplesStart = starts[FixedColumns] + format.Length + 1;
        if (formatEnd < 0)
        {
            return FailColumnCount(ref record, line, expectedColumns);
        }
        bool hasGt = format.SequenceEqual("GT"u8) || format.StartsWith("GT:"u8);
        if (!hasGt)
        {
            foreach (Range r in format.Split((byte)':'))
            {
                if (format[r].SequenceEqual("GT"u8))
                {
                    return Fail(ref record, FixedColumns + 1, $"GT must be the first FORMAT key, found '{Encoding.UTF8.GetString(format)}'");
                }
            }
            return ParseWithoutGt(line[samplesStart..], firstRow, altCount, line, expectedColumns, ref record);
        }
        return altCount <= 1
            ? ParseBiallelic(line, samplesStart, firstRow, altCount, expectedColumns, ref record)
            : ParseMultiallelic(line, samplesStart, firstRow, altCount, expectedColumns, ref record);
    }

    private bool ParseWithoutGt(ReadOnlySpan<byte> samples, Span<byte> firstRow, int altCount, ReadOnlySpan<byte> line, int expectedColumns, ref ParsedRecord record)
    {
        if (samples.Count((byte)'\t') != sampleCount - 1)
        {
            return FailColumnCount(ref record, line, expectedColumns);
        }
        FillMissing(firstRow);
        if (altCount > 1)
        {
            record.ExtraRows = new byte[(altCount - 1) * firstRow.Length];
            for (int k = 1; k < altCount; k++)
            {
                FillMissing(record.ExtraRows.AsSpan((k - 1) * firstRow.Length, firstRow.Length));
            }
        }
        return true;
    }

    private void FillMissing(Span<byte> row)
    {
        row.Fill(0b01010101);
        PackedGenotypes.ClearTrailingBits(row, sampleCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ParseBiallelic(ReadOnlySpan<byte> line, int p, Span<byte> row, int altCount, int expectedColumns, ref ParsedRecord record)
    {
        ReadOnlySpan<byte> fast = FastCodes;
        int acc = 0;
        int last = sampleCount - 1;
        ReadOnlySpan<byte> callClass = CallClass;
        for (int s = 0; s < sampleCount; s++)
        {
            int code = -1;
            if (altCount == 1)
            {
                // Fast path: a GT of exactly 3 bytes "a/b" or "a|b" with a, b in {0, 1, .}, read as one word with the byte after it.
                if (p + 4 <= line.Length && s != last)
                {
                    uint word = BinaryPrimitives.ReadUInt32LittleEndian(line.Slice(p, 4));
                    uint sep = (word >> 8) & 0xff;
                    uint next = word >> 24;
                    if ((next == '\t' || next == ':') && (sep == '/' || sep == '|'))
                    {
                        int a = callClass[(int)(word & 0xff)];
                        int b = callClass[(int)((word >> 16) & 0xff)];
                        int skip = 0;
                        if (next == ':')
                        {
                            int tab = line[(p + 4)..].IndexOf((byte)'\t');
                            skip = tab < 0 ? -1 : tab + 1;
                        }
                        if ((a | b) < 4 && skip >= 0)
                        {
                            code = fast[a * 3 + b];
                            p += 4 + skip;
                        }
                    }
                }
                else if (p + 3 == line.Length && s == last && (line[p + 1] == '/' || line[p + 1] == '|'))
                {
                    int a = callClass[line[p]];
                    int b = callClass[line[p + 2]];
                    if ((a | b) < 4)
                    {
                        code = fast[a * 3 + b];
                        p += 4;
                    }
                }
            }
            if (code < 0)
            {
                if (!ParseCall(line, ref p, s, altCount, expectedColumns, ref record, out int first, out int second))
                {
                    return false;
                }
                code = CodeFor(first, second, 1);
            }
            acc |= code << ((s & 3) << 1);
            if ((s & 3) == 3)
            {
                row[s >> 2] = (byte)acc;
                acc = 0;
            }
        }
        if ((sampleCount & 3) != 0)
        {
            row[sampleCount >> 2] = (byte)acc;
        }
        return p >= line.Length || FailColumnCount(ref record, line, expectedColumns);
    }

    private bool ParseMultiallelic(ReadOnlySpan<byte> line, int p, Span<byte> firstRow, int altCount, int expectedColumns, ref ParsedRecord record)
    {
        if (_first.Length < sampleCount)
        {
            _first = new int[sampleCount];
            _second = new int[sampleCount];
        }
        for (int s = 0; s < sampleCount; s++)
        {
            if (!ParseCall(line, ref p, s, altCount, expectedColumns, ref record, out _first[s], out _second[s]))
            {
                return false;
            }
        }
        if (p < line.Length)
        {
            return FailColumnCount(ref record, line, expectedColumns);
        }
        int rowBytes = firstRow.Length;
        record.ExtraRows = new byte[(altCount - 1) * rowBytes];
        for (int k = 1; k <= altCount; k++)
        {
            Span<byte> row = k == 1 ? firstRow : record.ExtraRows.AsSpan((k - 2) * rowBytes, rowBytes);
            row.Clear();
            for (int s = 0; s < sampleCount; s++)
            {
                row[s >> 2] |= (byte)(CodeFor(_first[s], _second[s], k) << ((s & 3) << 1));
            }
        }
        return true;
    }

    /// <summary>Packed code of a call for the split record whose ALT is allele <paramref name="alt"/>.</summary>
    private static int CodeFor(int first, int second, int alt)
    {
        if (first == MissingAllele || second == MissingAllele)
        {
            return PackedGenotypes.Missing;
        }
        int count = second == NoAllele ? (first == alt ? 2 : 0) : (first == alt ? 1 : 0) + (second == alt ? 1 : 0);
        return PackedGenotypes.CodeByAltCount[count];
    }

    /// <summary>
    /// The general GT path: parses the call at <paramref name="p"/> into allele indices and moves <paramref name="p"/> past the
    /// sample column and its tab (to the line end for the last sample).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ParseCall(ReadOnlySpan<byte> line, ref int p, int sample, int altCount, int expectedColumns, ref ParsedRecord record, out int first, out int second)
    {
        first = second = NoAllele;
        int column = FixedColumns + 2 + sample;
        if (p > line.Length)
        {
            return FailColumnCount(ref record, line, expectedColumns);
        }
        ReadOnlySpan<byte> rest = line[p..];
        int fieldEnd = rest.IndexOf((byte)'\t');
        if (fieldEnd < 0)
        {
            if (sample != sampleCount - 1)
            {
                return FailColumnCount(ref record, line, expectedColumns);
            }
            fieldEnd = rest.Length;
        }
        else if (sample == sampleCount - 1)
        {
            return FailColumnCount(ref record, line, expectedColumns);
        }
        ReadOnlySpan<byte> field = rest[..fieldEnd];
        int gtEnd = field.IndexOf((byte)':');
        ReadOnlySpan<byte> gt = gtEnd < 0 ? field : field[..gtEnd];
        p += fieldEnd + 1;
        if (gt.IsEmpty)
        {
            return Fail(ref record, column, "empty GT; expected a call such as 0/1 or ./.");
        }
        int alleles = 0;
        int i = 0;
        while (true)
        {
            int value;
            if (i < gt.Length && gt[i] == (byte)'.')
            {
                value = MissingAllele;
                i++;
            }
            else
            {
                int digitsStart = i;
                value = 0;
                while (i < gt.Length && (uint)(gt[i] - '0') <= 9)
                {
                    value = Math.Min(value * 10 + (gt[i] - '0'), 1_000_000);
                    i++;
                }
                if (i == digitsStart)
                {
                    return Fail(ref record, column, $"malformed GT '{Encoding.UTF8.GetString(gt)}'; expected allele indices or '.' separated by '/' or '|'");
                }
                if (value > altCount)
                {
                    return Fail(ref record, column, $"GT allele index {value} but the site has only {altCount} ALT allele(s)");
                }
            }
            alleles++;
            if (alleles == 1)
            {
                first = value;
            }
            else if (alleles == 2)
            {
                second = value;
            }
            else
            {
                return Fail(ref record, column, $"GT '{Encoding.UTF8.GetString(gt)}' has more than 2 alleles; only haploid and diploid calls are supported");
            }
            if (i == gt.Length)
            {
                return true;
            }
            if (gt[i] != (byte)'/' && gt[i] != (byte)'|')
            {
                return Fail(ref record, column, $"malformed GT '{Encoding.UTF8.GetString(gt)}'; expected allele indices or '.' separated by '/' or '|'");
            }
            i++;
        }
    }

    private static bool TryParsePosition(ReadOnlySpan<byte> text, out long position)
    {
        position = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }
        foreach (byte b in text)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }
            position = position * 10 + digit;
        }
        return true;
    }

    private string Chrom(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.SequenceEqual(_chromBytes))
        {
            _chromBytes = bytes.ToArray();
            _chrom = Encoding.UTF8.GetString(bytes);
        }
        return _chrom;
    }

    private static string Text(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 1 && bytes[0] < 128 ? SingleCharStrings[bytes[0]] : Encoding.UTF8.GetString(bytes);

    private static bool Fail(ref ParsedRecord record, int column, string problem)
    {
        record.Error = problem;
        record.ErrorColumn = column;
        return false;
    }

    private bool FailColumnCount(ref ParsedRecord record, ReadOnlySpan<byte> line, int expectedColumns)
    {
        int found = line.Count((byte)'\t') + 1;
        string expected = sampleCount > 0
            ? $"expected {expectedColumns} tab-separated columns (9 fixed + {sampleCount} samples), found {found}"
            : $"expected 8 or 9 tab-separated columns for a VCF without samples, found {found}";
        if (sampleCount == 0 && found == FixedColumns + 1)
        {
            return true;
        }
        return Fail(ref record, Math.Min(found, expectedColumns) + 1, expected);
    }
}
