using System.Globalization;
using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>The scratch store megabytes (written, read) a job command's statistics line reports, and how a cluster run's compare with an in-process run's.</summary>
internal static partial class ScratchFigures
{
    public static (double Written, double Read) Of(GenoFlowProcess.Result run)
    {
        Match match = Line().Match(run.StdOut);
        Assert.True(match.Success, $"no scratch store figures in the statistics line of:\n{run.StdOut}");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The workers' replies report what the in-process units count, so an undisturbed cluster run moves the same bytes;
    /// a retried request whose first attempt also replied counts both, so then the cluster's may only be larger.
    /// <paramref name="extraReadMegabytes"/>: reads the cluster does per node on top (a shard set's manifest, once per node).
    /// </summary>
    public static void AssertClusterMatches(GenoFlowProcess.Result inProcess, GenoFlowProcess.Result onCluster, double extraReadMegabytes = 0)
    {
        var (written, read) = Of(inProcess);
        var (clusterWritten, clusterRead) = Of(onCluster);
        Assert.True(written > 0 && read > 0, $"the in-process run moved nothing through the scratch store:\n{inProcess.StdOut}");
        if (onCluster.StdOut.Contains(" 0 retried", StringComparison.Ordinal))
        {
            Assert.Equal(written, clusterWritten);
            Assert.InRange(clusterRead, read, read + extraReadMegabytes);
        }
        else
        {
            Assert.True(clusterWritten >= written && clusterRead >= read, $"retried cluster run moved less than the in-process run ({written} MB written, {read} MB read):\n{onCluster.StdOut}");
        }
    }

    [GeneratedRegex(@" MB through the scratch store \(([\d.]+) written, ([\d.]+) read;")]
    private static partial Regex Line();
}
