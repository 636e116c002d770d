using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GenoFlow.Cli.Tests;

/// <summary>Real <c>genoflow node</c> processes on loopback ports, killed when the test ends.</summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly List<Process> _nodes = [];
    private readonly List<StderrLog> _stderr = [];
    private readonly NetworkNamespaces? _network;

    private ClusterNodes(NetworkNamespaces? network) => _network = network;

    static ClusterNodes()
    {
        // Every child's stdout and stderr can hold a pool thread in a pipe read: with a few nodes and a job that is more
        // threads than a 2-core machine starts the pool with, and the pool adds threads slowly, so a test awaiting a
        // node's log line could hear of it seconds late.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
    }

    public IReadOnlyList<int> Ports => _ports;

    private readonly List<int> _ports = [];

    public string Seed => $"{Host(0)}:{_ports[0]}";

    /// <summary>Node <paramref name="index"/>'s address: loopback, or its own in its network namespace.</summary>
    public string Host(int index) => _network?.Address(index) ?? "127.0.0.1";

    /// <summary>Every node's data root: the system temp folder, under which the tests' datasets live.</summary>
    public static string DataRoot { get; } = Path.TrimEndingDirectorySeparator(Path.GetTempPath());

    /// <summary>The scratch root every node and job client of this cluster shares (a filesystem they all see).</summary>
    public string ScratchRoot { get; } = Directory.CreateTempSubdirectory("genoflow-cluster-scratch-").FullName;

    /// <summary>
    /// What a job client adds to run on this cluster: the seed and the same roots as the nodes (and, across network
    /// namespaces, the bridge address the nodes reach it at).
    /// </summary>
    public string[] Client => ["--cluster", Seed, .. Roots, .. _network is null ? [] : new[] { "--host", _network.BridgeAddress, "--insecure" }];

    private string[] Roots => ["--data-root", DataRoot, "--scratch-root", ScratchRoot];

    /// <summary>
    /// Starts <paramref name="count"/> worker nodes, the first the seed of the others, and waits until each says it is up;
    /// with <paramref name="network"/>, node i runs in namespace i at its address there (plain TCP: --insecure).
    /// </summary>
    public static async Task<ClusterNodes> StartAsync(int count, string? configFile = null, Func<int, IEnumerable<string>>? extraArgs = null, NetworkNamespaces? network = null)
    {
        var cluster = new ClusterNodes(network);
        IEnumerable<string> Args(int i) => [.. configFile is null ? [] : new[] { "--config", configFile }, .. extraArgs?.Invoke(i) ?? []];
        try
        {
            await cluster.AddAsync(Args(0));
            // The others join the seed together: a node's start is mostly waiting (runtime start, then the join's gossip
            // rounds), so starting them one after another cost a whole start per node in every cluster test.
            var others = Enumerable.Range(1, count - 1).Select(i => cluster.Launch(Args(i), seeded: true)).ToList();
            await Task.WhenAll(others.Select(cluster.WaitUntilUpAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> worker nodes at once that know only each other's management endpoints (Cluster
    /// Bootstrap with config discovery, no seeds), and waits until each says it is up.
    /// </summary>
    public static async Task<ClusterNodes> StartBootstrappedAsync(int count, string configFile, Func<int, IEnumerable<string>> extraArgs)
    {
        var cluster = new ClusterNodes(null);
        try
        {
            int[] managementPorts = Enumerable.Range(0, count).Select(_ => FreePort()).ToArray();
            string contactPoints = string.Join(",", managementPorts.Select(p => $"127.0.0.1:{p}"));
            // All at once: none of them is up before the others answer its probes.
            var started = managementPorts.Select((p, i) => cluster.Launch(
                ["--bootstrap-contact-points", contactPoints, "--management-port", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", configFile, .. extraArgs(i)],
                seeded: false)).ToList();
            await Task.WhenAll(started.Select(cluster.WaitUntilUpAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more worker node (the seed itself when it is the first) with <paramref name="extraArgs"/>, waits until
    /// it says it is up, and returns its index.
    /// </summary>
    public async Task<int> AddAsync(IEnumerable<string> extraArgs)
    {
        int index = Launch(extraArgs, seeded: true);
        await WaitUntilUpAsync(index);
        return index;
    }

    private Task WaitUntilUpAsync(int index) => WaitForLineAsync(_nodes[index], "node up at", $"node {index} on port {_ports[index]}");

    /// <summary>Starts worker node number <see cref="Ports"/>.Count; with <paramref name="seeded"/>, every one after the first joins through the first.</summary>
    private int Launch(IEnumerable<string> extraArgs, bool seeded)
    {
        int index = _nodes.Count;
        // A namespace has ports of its own: every node there can take the usual one.
        int port = _network is null ? FreePort() : 4053;
        var args = new List<string> { "node", "--roles", "worker", "--host", Host(index), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (_network is not null)
        {
            args.Add("--insecure");
        }
        args.AddRange(Roots);
        if (seeded && index > 0)
        {
            args.AddRange(["--seed", Seed]);
        }
        args.AddRange(extraArgs);
        Process node = _network is null ? GenoFlowProcess.Start(args) : GenoFlowProcess.StartInNamespace(_network.Namespace(index), args);
        _nodes.Add(node);
        _stderr.Add(new StderrLog(node));
        _ports.Add(port);
        return index;
    }

    /// <summary>Waits until node <paramref name="index"/> has written a stderr line containing every one of <paramref name="parts"/>; returns that line.</summary>
    public Task<string> WaitForLogAsync(int index, TimeSpan deadline, params string[] parts) => _stderr[index].WaitForAsync(deadline, parts);

    /// <summary>Sends node <paramref name="index"/> a signal (STOP pauses it as a hung machine would, CONT resumes it).</summary>
    public async Task SignalAsync(int index, string signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", _nodes[index].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for node <paramref name="index"/> to exit on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(int index, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _nodes[index].WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node {index} was still running after {deadline}; its stderr ended:\n{_stderr[index].Tail(40)}");
        }
        return _nodes[index].ExitCode;
    }

    public bool HasExited(int index) => _nodes[index].HasExited;

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
        Directory.Delete(ScratchRoot, recursive: true);
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
                    // Keep draining so the node never blocks on a full pipe (stderr is read by its StderrLog).
                    _ = Task.Run(() => process.StandardOutput.ReadToEndAsync(CancellationToken.None));
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what} did not report '{prefix}' within {StartDeadline}");
        }
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"{what} exited ({process.ExitCode}) before reporting '{prefix}'");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A node's stderr lines as they come, so tests can await a log line.</summary>
    private sealed class StderrLog
    {
        private readonly List<string> _lines = [];
        private readonly Process _process;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StderrLog(Process process)
        {
            _process = process;
            _ = Task.Run(ReadAsync);
        }

        public async Task<string> WaitForAsync(TimeSpan deadline, string[] parts)
        {
            using var timeout = new CancellationTokenSource(deadline);
            while (true)
            {
                Task changed;
                lock (_lines)
                {
                    if (_lines.FirstOrDefault(l => parts.All(p => l.Contains(p, StringComparison.Ordinal))) is { } line)
                    {
                        return line;
                    }
                    changed = _changed.Task;
                }
                try
                {
                    await changed.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    lock (_lines)
                    {
                        throw new TimeoutException($"no stderr line with [{string.Join("], [", parts)}] within {deadline}; stderr was:\n{string.Join("\n", _lines.TakeLast(40))}");
                    }
                }
            }
        }

        /// <summary>The last <paramref name="count"/> lines, for a failure message.</summary>
        public string Tail(int count)
        {
            lock (_lines)
            {
                return string.Join("\n", _lines.TakeLast(count));
            }
        }

        private async Task ReadAsync()
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                    _changed.TrySetResult();
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }
}
