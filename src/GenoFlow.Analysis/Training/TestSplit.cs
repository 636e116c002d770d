using System.Globalization;
using System.IO.Hashing;
using System.Text;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Training;

/// <summary>
/// Which samples are held out as the test set: those listed (<see cref="Samples"/>), or a seeded, deterministic
/// <see cref="Fraction"/>: a sample is a test sample when xxh3("{seed}:{sample_id}") / 2^64 &lt; fraction, so the split
/// depends only on the sample's id and the seed (not on order, shards or nodes).
/// </summary>
public sealed record TestSplit(double Fraction, ulong Seed, IReadOnlySet<string>? Samples = null)
{
    public static TestSplit None { get; } = new(0, 0);

    /// <summary>The test fraction when none is given.</summary>
    public const double DefaultFraction = 0.2;

    /// <summary>The listed samples (one id per line) when a file is given, else a seeded fraction (default 0.2).</summary>
    public static TestSplit Of(string? samplesFile, double? fraction, ulong seed) =>
        samplesFile is not null ? new TestSplit(0, seed, IdList.Read(samplesFile)) : new TestSplit(fraction ?? DefaultFraction, seed);

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
        ulong hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{Seed}:{sampleId}"));
        return hash * (1.0 / 18446744073709551616.0) < Fraction;
    }
}
