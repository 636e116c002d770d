using System.Globalization;

namespace GenoFlow.Analysis.Tables;

/// <summary>What a cell of a <see cref="SampleTable"/> holds: missing, a finite number, or (when neither) text.</summary>
internal static class TableCell
{
    /// <summary>True with NaN for a missing cell (empty, NA, na, NaN, nan or .), true with the value for a finite number, false otherwise.</summary>
    public static bool TryNumber(ReadOnlySpan<byte> cell, out double value)
    {
        if (IsMissing(cell))
        {
            value = double.NaN;
            return true;
        }
        return FastDouble.TryParse(cell, out value) && double.IsFinite(value);
    }

    /// <inheritdoc cref="TryNumber(ReadOnlySpan{byte}, out double)"/>
    public static bool TryNumber(string? cell, out double value)
    {
        if (cell is null or "" or "NA" or "na" or "NaN" or "nan" or ".")
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static bool IsMissing(ReadOnlySpan<byte> cell) => cell.Length switch
    {
        0 => true,
        1 => cell[0] == (byte)'.',
        2 => cell.SequenceEqual("NA"u8) || cell.SequenceEqual("na"u8),
        3 => cell.SequenceEqual("NaN"u8) || cell.SequenceEqual("nan"u8),
        _ => false,
    };
}
