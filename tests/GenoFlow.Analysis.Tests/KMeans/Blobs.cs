using System.Globalization;
using System.Text;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Tests.KMeans;

/// <summary>Well-separated Gaussian populations (unit sd around centres drawn with sd <c>spread</c>) and the adjusted Rand index.</summary>
internal static class Blobs
{
    public sealed record Data(double[][] Points, int[] Truth, int Dimensions);

    public static Data Create(int rows, int k, int dimensions, int seed, double spread = 10)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double[][] centres = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, dimensions).Select(_ => spread * Normal()).ToArray()).ToArray();
        var truth = new int[rows];
        var points = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            truth[i] = random.Next(k);
            points[i] = centres[truth[i]].Select(c => c + Normal()).ToArray();
        }
        return new Data(points, truth, dimensions);
    }

    public static string Column(int c) => $"PC{c + 1}";

    public static SampleShardSet Write(Data data, string path, int rowsPerShard)
    {
        using var writer = SampleShardSetWriter.Create(path, Enumerable.Range(0, data.Dimensions).Select(Column).ToArray(), rowsPerShard);
        for (int i = 0; i < data.Points.Length; i++)
        {
            writer.Add($"s{i}", -1, data.Points[i]);
        }
        return writer.Commit();
    }

    public static void WriteTsv(Data data, string path)
    {
        var text = new StringBuilder("sample_id\t" + string.Join('\t', Enumerable.Range(0, data.Dimensions).Select(Column)) + "\n");
        for (int i = 0; i < data.Points.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"s{i}\t").AppendJoin('\t', data.Points[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Hubert &amp; Arabie's adjusted Rand index of two labellings.</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var table = new Dictionary<(int, int), long>();
        var rowsA = new Dictionary<int, long>();
        var rowsB = new Dictionary<int, long>();
        for (int i = 0; i < a.Count; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            rowsA[a[i]] = rowsA.GetValueOrDefault(a[i]) + 1;
            rowsB[b[i]] = rowsB.GetValueOrDefault(b[i]) + 1;
        }
        static double Pairs(long n) => n * (n - 1) / 2.0;
        double index = table.Values.Sum(Pairs);
        double sumA = rowsA.Values.Sum(Pairs);
        double sumB = rowsB.Values.Sum(Pairs);
        double expected = sumA * sumB / Pairs(a.Count);
        double max = (sumA + sumB) / 2;
        return (index - expected) / (max - expected);
    }
}
