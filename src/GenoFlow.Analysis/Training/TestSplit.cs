using System.Globalization;
using System.IO.Hashing;
using System.Text;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Which samples are held out as the test set: those listed (<see cref="Samples"/>), or a seeded, deterministic
/// <see cref="Fraction"/>: a sample is a test sample when xxh3("{seed}:{sample_id}") / 2^64 &lt; fraction, so the split
/// depends only on the sample's id and the seed (not on order, shards or nodes). <see cref="Stratified"/> (logistic
/// targets) holds out round(fraction · n_class) samples of each class instead: those of lowest hash.
/// </summary>
public sealed record TestSplit(double Fraction, ulong Seed, IReadOnlySet<string>? Samples = null, bool Stratified = false)
{
    public static TestSplit None { get; } = new(0, 0);

    /// <summary>The test fraction when none is given.</summary>
    public const double DefaultFraction = 0.2;

    /// <summary>The listed samples (one id per line) when a file is given, else a seeded fraction (default 0.2), stratified by class if asked.</summary>
    public static TestSplit Of(string? samplesFile, double? fraction, ulong seed, bool stratify = false)
    {
        if (samplesFile is not null && stratify)
        {
            throw new StageParameterException("stratify", "stratifies a test fraction; listed test samples are taken as they are");
        }
        return samplesFile is not null ? new TestSplit(0, seed, IdList.Read(samplesFile)) : new TestSplit(fraction ?? DefaultFraction, seed, Stratified: stratify);
    }

    /// <summary>Refuses a test fraction outside [0, 1).</summary>
    public static void CheckFraction(double fraction)
    {
        if (fraction is < 0 or >= 1 or double.NaN)
        {
            throw new StageParameterException("test-fraction", $"must be in [0, 1); got {fraction.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public bool IsTest(string sampleId)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        if (Samples is not null)
        {
            return Samples.Contains(sampleId);
        }
        if (Fraction <= 0)
        {
            return false;
        }
        return Hash(sampleId) * (1.0 / 18446744073709551616.0) < Fraction;
    }

    /// <summary>Per row, whether it is a test row of the stratified split: per class, the round(fraction · n_class) rows of lowest hash.</summary>
    public bool[] StratifiedTest(IReadOnlyList<string> sampleIds, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(sampleIds);
        ArgumentNullException.ThrowIfNull(targets);
        var test = new bool[sampleIds.Count];
        foreach (var stratum in Enumerable.Range(0, sampleIds.Count).GroupBy(r => targets[r]))
        {
            int[] rows = [.. stratum.OrderBy(r => Hash(sampleIds[r])).ThenBy(r => sampleIds[r], StringComparer.Ordinal)];
            foreach (int r in rows.Take((int)Math.Round(Fraction * rows.Length, MidpointRounding.AwayFromZero)))
            {
                test[r] = true;
            }
        }
        return test;
    }

    private ulong Hash(string sampleId) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{Seed}:{sampleId}"));
}
