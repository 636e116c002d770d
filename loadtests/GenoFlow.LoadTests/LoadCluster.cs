using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GenoFlow.LoadTests;

/// <summary>
/// Real <c>genoflow node</c> worker processes on loopback that can be killed and replaced. Jobs and new workers are
/// given every live worker as a seed, so the cluster goes on when any one of them goes (the first one included).
/// Each node's output is kept in a log file under the work directory, so that a node that leaves unexpectedly can be
/// explained.
/// </summary>
internal sealed class LoadCluster(string genoflowDll, string configFile, string logDirectory) : IAsyncDisposable
{
    private readonly List<Node> _nodes = [];

    private sealed record Node(Process Process, int Port, string Log, Task Drained)
    {
        public bool Killed { get; set; }
    }

    /// <summary>host:port of every live worker, for <c>--cluster</c> and <c>--seed</c>.</summary>
    public IReadOnlyList<string> Seeds
    {
        get
        {
            lock (_nodes)
            {
                return [.. _nodes.Where(n => !n.Process.HasExited).Select(n => $"127.0.0.1:{n.Port}")];
            }
        }
    }

    /// <summary>Workers that exited without being killed by the harness (downed by the split-brain resolver, crashed).</summary>
    public IReadOnlyList<string> UnexpectedExits
    {
        get
        {
            lock (_nodes)
            {
                return [.. _nodes.Where(n => !n.Killed && n.Process.HasExited).Select(n => $"worker on port {n.Port} exited ({n.Process.ExitCode}); the end of its log:\n{Tail(n.Log)}")];
            }
        }
    }

    public async Task StartAsync(int workers)
    {
        for (int i = 0; i < workers; i++)
        {
            await AddAsync();
        }
    }

    /// <summary>
    /// Kills (kill -9) the oldest live worker but one and starts a new one in its place. The oldest is spared: it holds
    /// the shard coordinators (cluster singletons), and killing it every time measures their hand-over, which blocks
    /// every job's shard allocation until the dead node is downed, rather than the loss of a worker.
    /// </summary>
    public async Task ChurnAsync()
    {
        Node victim;
        lock (_nodes)
        {
            victim = _nodes.Where(n => !n.Process.HasExited).Skip(1).First();
            victim.Killed = true;
        }
        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        await AddAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Node node in _nodes)
        {
            if (!node.Process.HasExited)
            {
                node.Killed = true;
                node.Process.Kill(entireProcessTree: true);
            }
            await node.Process.WaitForExitAsync();
            await node.Drained;
            node.Process.Dispose();
        }
    }

    private async Task AddAsync()
    {
        int port = FreePort();
        List<string> args = ["node", "--roles", "worker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", configFile];
        foreach (string seed in Seeds)
        {
            args.AddRange(["--seed", seed]);
        }
        Process process = GenoFlowRunner.Start(genoflowDll, args);
        string log = Path.Combine(logDirectory, $"node-{port}.log");
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task drained = Task.Run(async () =>
        {
            await using var writer = new StreamWriter(log) { AutoFlush = true };
            async Task CopyAsync(StreamReader reader)
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    lock (writer)
                    {
                        writer.WriteLine(line);
                    }
                    if (line.StartsWith("node up at", StringComparison.Ordinal))
                    {
                        up.TrySetResult();
                    }
                }
            }
            await Task.WhenAll(CopyAsync(process.StandardOutput), CopyAsync(process.StandardError));
        });
        lock (_nodes)
        {
            _nodes.Add(new Node(process, port, log, drained));
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task exited = process.WaitForExitAsync(deadline.Token);
        if (await Task.WhenAny(up.Task, exited) != up.Task)
        {
            string why = process.HasExited ? $"exited ({process.ExitCode})" : "was not up within 2 minutes";
            throw new InvalidOperationException($"worker on port {port} {why}; the end of its log:\n{Tail(log)}");
        }
    }

    private static string Tail(string log)
    {
        try
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return string.Join('\n', new StreamReader(stream).ReadToEnd().Split('\n').TakeLast(30));
        }
        catch (IOException e)
        {
            return $"(could not read {log}: {e.Message})";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
