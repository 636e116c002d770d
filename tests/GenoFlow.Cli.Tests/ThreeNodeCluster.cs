using System.Text.RegularExpressions;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Three real <c>genoflow node</c> processes shared by the classes of <see cref="ThreeNodeCollection"/>: each byte
/// comparison of an embedded run with a cluster run uses this cluster instead of starting its own (three node starts
/// take seconds of both cores each time).
/// </summary>
public sealed partial class ThreeNodeCluster : IAsyncLifetime
{
    private ClusterNodes? _nodes;

    /// <summary>The nodes themselves, for tests that need their ports, seed or scratch root.</summary>
    internal ClusterNodes Nodes => _nodes ?? throw new InvalidOperationException("the cluster has not started");

    /// <summary>Runs a job client command on the cluster, requiring all three workers; fails on a non-zero exit.</summary>
    internal Task<GenoFlowProcess.Result> RunOkAsync(params string[] args) => GenoFlowProcess.RunOkAsync([.. args, .. Nodes.Client, "--min-workers", "3"]);

    /// <summary>How many nodes the job's stdout reports did a share of its tiles or shards (more than 0).</summary>
    public static int NodesThatWorked(string stdout) => NodeShare().Count(stdout);

    /// <summary>Asserts that each of <paramref name="files"/> has the same bytes in both directories.</summary>
    public static void AssertSameBytes(string embedded, string onCluster, IEnumerable<string> files, string what)
    {
        foreach (string file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(embedded, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(onCluster, file))),
                $"{what}: {file} differs between the embedded and the cluster run");
        }
    }

    public async Task InitializeAsync() => _nodes = await ClusterNodes.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [GeneratedRegex(@"akka\.tcp://genoflow@[\d.]+:\d+ [1-9]\d*")]
    private static partial Regex NodeShare();
}
