using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GenoFlow.LoadTests;

/// <summary>Real <c>genoflow node</c> worker processes on loopback: a seed that stays, and workers that can be killed and replaced.</summary>
internal sealed class LoadCluster(string genoflowDll, string configFile) : IAsyncDisposable
{
    private readonly List<(Process Process, int Port)> _nodes = [];

    public string Seed => $"127.0.0.1:{_nodes[0].Port}";

    public async Task StartAsync(int workers)
    {
        for (int i = 0; i < workers; i++)
        {
            await AddAsync();
        }
    }

    /// <summary>Kills (kill -9) the oldest live worker other than the seed and starts a new one in its place.</summary>
    public async Task ChurnAsync()
    {
        var victim = _nodes.Skip(1).First(n => !n.Process.HasExited);
        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        await AddAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _nodes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private async Task AddAsync()
    {
        int port = FreePort();
        List<string> args = ["node", "--roles", "worker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", configFile];
        if (_nodes.Count > 0)
        {
            args.AddRange(["--seed", Seed]);
        }
        Process node = GenoFlowRunner.Start(genoflowDll, args);
        _nodes.Add((node, port));
        _ = Task.Run(() => node.StandardError.ReadToEndAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await node.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("node up at", StringComparison.Ordinal))
            {
                _ = Task.Run(() => node.StandardOutput.ReadToEndAsync());
                return;
            }
        }
        throw new InvalidOperationException($"worker on port {port} exited ({node.ExitCode}) before it was up");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
