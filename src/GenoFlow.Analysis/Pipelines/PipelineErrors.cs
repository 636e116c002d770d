using GenoFlow.Core;

namespace GenoFlow.Analysis.Pipelines;

/// <summary>Located errors of one pipeline file, and the "did you mean" hint every unknown name gets.</summary>
internal sealed class PipelineErrors(string file)
{
    public string File { get; } = file;

    public GenoFlowFormatException At(SourceMark mark, string problem) => new(File, problem, mark.Line, mark.Column);

    /// <returns>" (did you mean 'x'?)" when a candidate is within edit distance 2 of <paramref name="word"/>, else "".</returns>
    public static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in candidates)
        {
            int distance = EditDistance(word, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    /// <summary>Optimal string alignment distance: Levenshtein plus swaps of neighbours, the commonest typo.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
