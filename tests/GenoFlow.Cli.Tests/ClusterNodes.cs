using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GenoFlow.Cli.Tests;

/// <summary>Real <c>genoflow node</c> processes on loopback ports, killed when the test ends.</summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly List<Process> _nodes = [];

    public IReadOnlyList<int> Ports => _ports;

    private readonly List<int> _ports = [];

    public string Seed => $"127.0.0.1:{_ports[0]}";

    /// <summary>Starts <paramref name="count"/> worker nodes, the first the seed of the others, and waits until each says it is up.</summary>
    public static async Task<ClusterNodes> StartAsync(int count, string? configFile = null)
    {
        var cluster = new ClusterNodes();
        try
        {
            for (int i = 0; i < count; i++)
            {
                int port = FreePort();
                var args = new List<string> { "node", "--roles", "worker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                if (i > 0)
                {
                    args.AddRange(["--seed", cluster.Seed]);
                }
                if (configFile is not null)
                {
                    args.AddRange(["--config", configFile]);
                }
                Process node = GenoFlowProcess.Start(args);
                cluster._nodes.Add(node);
                cluster._ports.Add(port);
                await WaitForLineAsync(node, "node up at", $"node {i} on port {port}");
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9: no goodbye to the cluster.</summary>
    public void Kill(int index) => _nodes[index].Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        foreach (Process node in _nodes)
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
            await node.WaitForExitAsync();
            node.Dispose();
        }
    }

    private static async Task WaitForLineAsync(Process process, string prefix, string what)
    {
        using var deadline = new CancellationTokenSource(StartDeadline);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // Keep draining so the node never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what} did not report '{prefix}' within {StartDeadline}");
        }
        throw new InvalidOperationException($"{what} exited ({(process.HasExited ? process.ExitCode : -1)}) before reporting '{prefix}': {await process.StandardError.ReadToEndAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
