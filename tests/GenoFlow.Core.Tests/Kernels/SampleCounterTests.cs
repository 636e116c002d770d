using System.Runtime.Intrinsics.X86;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Kernels;
using GenoFlow.Core.Tests.Genotypes;
using Xunit.Abstractions;

namespace GenoFlow.Core.Tests.Kernels;

public class SampleCounterTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 1 }, { 3, 7 }, { 4, 255 }, { 5, 256 }, { 127, 300 }, { 128, 1 }, { 129, 511 }, { 131, 513 }, { 256, 17 }, { 1003, 600 }, { 2049, 90 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fast_paths_match_the_naive_count(int samples, int rows)
    {
        var random = new Random(samples * 7919 + rows);
        byte[] tile = RandomTile(random, samples, rows);
        int[][] expected = Counts(samples, (m, h, a) => SampleCounter.AccumulateNaive(tile, rows, samples, m, h, a));

        Assert.Equal(expected, Counts(samples, (m, h, a) => SampleCounter.Accumulate(tile, rows, samples, m, h, a)));
        int stride = PackedGenotypes.RowBytes(samples);
        Assert.Equal(expected, Counts(samples, (m, h, a) => SampleCounter.AccumulateScalar(tile, rows, stride, 0, samples, m, h, a)));
        if (Avx2.IsSupported)
        {
            // The AVX2 path over the whole 128-sample chunks, the scalar path over the rest: the split Accumulate uses.
            int vectorBytes = samples / 128 * 32;
            Assert.Equal(expected, Counts(samples, (m, h, a) =>
            {
                SampleCounter.AccumulateAvx2(tile, rows, stride, vectorBytes, m, h, a);
                SampleCounter.AccumulateScalar(tile, rows, stride, vectorBytes * 4, samples, m, h, a);
            }));
        }
        // Every genotype is counted once: the three counts never exceed the rows, and some genotypes of each kind occur.
        Assert.All(Enumerable.Range(0, samples), s => Assert.InRange(expected[0][s] + expected[1][s] + expected[2][s], 0, rows));
        Assert.Equal((long)samples * rows, expected.Sum(c => c.Sum(x => (long)x)) + HomRefCount(tile, rows, samples));
    }

    [Fact]
    public void Counts_add_to_what_the_spans_already_hold()
    {
        const int samples = 130;
        byte[] row = new byte[PackedGenotypes.RowBytes(samples)];
        PackedGenotypes.Pack(Enumerable.Repeat((sbyte)-1, samples).ToArray(), row);
        int[] missing = Enumerable.Repeat(5, samples).ToArray();
        int[] het = new int[samples], homAlt = new int[samples];
        SampleCounter.Accumulate(row, 1, samples, missing, het, homAlt);
        Assert.All(missing, m => Assert.Equal(6, m));
        Assert.All(het.Concat(homAlt), c => Assert.Equal(0, c));
    }

    [Fact]
    public void Rejects_spans_of_the_wrong_length()
    {
        byte[] rows = new byte[2 * PackedGenotypes.RowBytes(9)];
        Assert.Throws<ArgumentException>(() => SampleCounter.Accumulate(rows, 2, 9, new int[8], new int[9], new int[9]));
        Assert.Throws<ArgumentException>(() => SampleCounter.Accumulate(rows, 3, 9, new int[9], new int[9], new int[9]));
    }

    [Fact]
    public void Throughput_is_reported()
    {
        const int samples = 4096, rows = 1024;
        byte[] tile = RandomTile(new Random(3), samples, rows);
        int[] m = new int[samples], h = new int[samples], a = new int[samples];
        SampleCounter.Accumulate(tile, rows, samples, m, h, a);
        var clock = Stopwatch.StartNew();
        int repeats = 0;
        while (clock.ElapsedMilliseconds < 300)
        {
            SampleCounter.Accumulate(tile, rows, samples, m, h, a);
            repeats++;
        }
        double perSecond = (double)samples * rows * repeats / clock.Elapsed.TotalSeconds;
        output.WriteLine($"SampleCounter.Accumulate: {perSecond / 1e9:F2} G genotypes/s on one core (AVX2 {Avx2.IsSupported})");
        Assert.Equal((repeats + 1) * rows, m[0] + h[0] + a[0] + (repeats + 1) * HomRefCount(tile, rows, samples, onlySample: 0));
    }

    private static long HomRefCount(byte[] tile, int rows, int samples, int? onlySample = null)
    {
        int stride = PackedGenotypes.RowBytes(samples);
        long count = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int s = onlySample ?? 0; s < (onlySample + 1 ?? samples); s++)
            {
                count += PackedGenotypes.GetCode(tile.AsSpan(r * stride, stride), s) == PackedGenotypes.HomRef ? 1 : 0;
            }
        }
        return count;
    }

    private static int[][] Counts(int samples, Action<int[], int[], int[]> count)
    {
        int[] missing = new int[samples], het = new int[samples], homAlt = new int[samples];
        count(missing, het, homAlt);
        return [missing, het, homAlt];
    }

    private static byte[] RandomTile(Random random, int samples, int rows)
    {
        int stride = PackedGenotypes.RowBytes(samples);
        byte[] tile = new byte[stride * rows];
        for (int r = 0; r < rows; r++)
        {
            PackedGenotypes.Pack(PackedGenotypesTests.RandomCounts(random, samples), tile.AsSpan(r * stride, stride));
        }
        return tile;
    }
}
