using System.Globalization;
using System.Text;
using GenoFlow.Analysis.Tables;

namespace GenoFlow.Analysis.Tests.Tables;

public sealed class FastDoubleTests
{
    [Fact]
    public void Parsing_gives_the_bits_of_double_Parse()
    {
        var random = new Random(12);
        var texts = new List<string> { "0", "-0", "+1", "1.", ".5", "-0.000", "1e22", "1e23", "123456789012345", "1234567890123456", "0.1", "3.0000000000000004", "9007199254740993", "1E-5", "2.5e+3", "00012.50" };
        for (int i = 0; i < 20_000; i++)
        {
            double value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30));
            texts.Add(value.ToString(random.Next(4) switch { 0 => "R", 1 => "G10", 2 => "E6", _ => "F4" }, CultureInfo.InvariantCulture));
        }
        foreach (string text in texts)
        {
            Assert.True(FastDouble.TryParse(Encoding.UTF8.GetBytes(text), out double parsed), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(parsed));
        }
        foreach (string bad in new[] { "", "-", ".", "1e", "abc", "1.2.3", "1e5x", "--1" })
        {
            Assert.False(FastDouble.TryParse(Encoding.UTF8.GetBytes(bad), out _), bad);
        }
    }
}
