using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace GenoFlow.Analysis.Results;

/// <summary>
/// What a stored partial result is a function of, hashed to 128 bits: the operation (wire name and result version), the
/// content checksum of every tile it reads, the block's sample count (two blocks can pack to the same bytes with
/// different counts) and the digest of its input bytes. Equal keys, equal partials.
/// </summary>
public readonly record struct ResultKey(UInt128 Value)
{
    public static ResultKey Of(string operation, int resultVersion, IEnumerable<string> tileChecksums, int sampleCount, ReadOnlySpan<byte> input)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(tileChecksums);
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{operation}\n{resultVersion}\n{sampleCount}\n{string.Join(',', tileChecksums)}\n{Hex(XxHash128.HashToUInt128(input))}");
        return new ResultKey(XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The entry's file name in the store directory.</summary>
    public string FileName => Hex(Value) + ResultStore.EntryExtension;

    public override string ToString() => Hex(Value);

    private static string Hex(UInt128 value) => value.ToString("x32", CultureInfo.InvariantCulture);
}
