using System.Globalization;

namespace GenoFlow.Analysis.Tables;

/// <summary>
/// Parses a decimal number from UTF-8 text. Numbers of at most 15 significant digits and a decimal exponent within
/// ±22 (what tables of scores usually hold) take Clinger's exact fast path: the digits and the power of ten are both
/// exact doubles, so one multiplication or division rounds correctly. Everything else goes to
/// <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>. Either way the
/// result is the correctly rounded value, bit for bit what <c>double.Parse</c> gives.
/// </summary>
internal static class FastDouble
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        if (TryFast(text, out value))
        {
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryFast(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
        {
            negative = s[i] == (byte)'-';
            i++;
        }
        ulong mantissa = 0;
        int significant = 0;
        int start = i;
        i = Digits(s, i, ref mantissa, ref significant);
        if (i < 0)
        {
            return false;
        }
        bool digits = i > start;
        int exponent = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            int fraction = i + 1;
            i = Digits(s, fraction, ref mantissa, ref significant);
            if (i < 0)
            {
                return false;
            }
            digits |= i > fraction;
            exponent = fraction - i;
        }
        if (!digits)
        {
            return false;
        }
        if (i < s.Length && (s[i] == (byte)'e' || s[i] == (byte)'E'))
        {
            i++;
            bool negativeExponent = false;
            if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
            {
                negativeExponent = s[i] == (byte)'-';
                i++;
            }
            int exponentStart = i;
            int written = 0;
            for (; i < s.Length && (uint)(s[i] - '0') <= 9 && i - exponentStart < 4; i++)
            {
                written = written * 10 + (s[i] - '0');
            }
            if (i == exponentStart)
            {
                return false;
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i != s.Length)
        {
            return false;
        }
        if (mantissa == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }
        if (exponent < -22 || exponent > 22)
        {
            return false;
        }
        double m = mantissa;
        value = exponent < 0 ? m / PowersOfTen[-exponent] : m * PowersOfTen[exponent];
        if (negative)
        {
            value = -value;
        }
        return true;
    }

    /// <summary>
    /// Adds the run of digits from <paramref name="i"/> to the mantissa; returns where the run ends, or -1 past 15
    /// significant digits (where the mantissa may stop being exact). Leading zeros are not significant.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Digits(ReadOnlySpan<byte> s, int i, ref ulong mantissa, ref int significant)
    {
        ulong m = mantissa;
        int n = significant;
        for (; i < s.Length; i++)
        {
            uint digit = (uint)(s[i] - '0');
            if (digit > 9)
            {
                break;
            }
            if (m != 0 || digit != 0)
            {
                if (++n > 15)
                {
                    return -1;
                }
                m = m * 10 + digit;
            }
        }
        mantissa = m;
        significant = n;
        return i;
    }
}
