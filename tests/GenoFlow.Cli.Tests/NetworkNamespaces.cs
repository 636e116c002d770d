using System.Diagnostics;
using System.Globalization;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Real network namespaces (<c>ip netns</c>) joined by veth pairs to one bridge in this process's namespace: each node
/// runs in its own namespace with its own address, the test process (and the job client) reaches them all through the
/// bridge, and <see cref="CutOff"/> takes one namespace's link down, a partition no packet crosses. Needs root
/// (or CAP_NET_ADMIN) and iproute2; made and removed by the test.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    private readonly string _prefix;
    private readonly string _subnet;
    private readonly int _count;

    private NetworkNamespaces(int count)
    {
        // Short and unique: interface names are at most 15 characters, and another worktree may run this test at once.
        string id = Guid.NewGuid().ToString("N")[..5];
        _prefix = "gf" + id;
        _subnet = $"10.{200 + Random.Shared.Next(50)}.{Random.Shared.Next(256)}";
        _count = count;
    }

    /// <summary>Why namespaces cannot be made here (not root, no iproute2, a kernel that refuses), or null when they can.</summary>
    public static Lazy<string?> Unavailable { get; } = new(() =>
    {
        try
        {
            using NetworkNamespaces probe = Create(1);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"network namespaces cannot be made here ({e.Message}); the partition test needs root or CAP_NET_ADMIN and iproute2 (ip netns, veth, bridge)";
        }
    });

    /// <summary>The job client's address: the bridge, from which every namespace is reachable.</summary>
    public string BridgeAddress => $"{_subnet}.254";

    private string Bridge => _prefix + "br";

    /// <summary>Node <paramref name="index"/>'s address inside its namespace.</summary>
    public string Address(int index) => $"{_subnet}.{index + 1}";

    public string Namespace(int index) => $"{_prefix}n{index}";

    /// <summary>The bridge side of namespace <paramref name="index"/>'s veth pair: down means cut off.</summary>
    private string HostLink(int index) => $"{_prefix}h{index}";

    /// <summary>Makes a bridge and <paramref name="count"/> namespaces, each with loopback and a veth on the bridge.</summary>
    public static NetworkNamespaces Create(int count)
    {
        var network = new NetworkNamespaces(count);
        try
        {
            Ip("link", "add", network.Bridge, "type", "bridge");
            Ip("addr", "add", $"{network.BridgeAddress}/24", "dev", network.Bridge);
            Ip("link", "set", network.Bridge, "up");
            for (int i = 0; i < count; i++)
            {
                string ns = network.Namespace(i);
                string inside = $"{network._prefix}i{i}";
                Ip("netns", "add", ns);
                Ip("link", "add", network.HostLink(i), "type", "veth", "peer", "name", inside);
                Ip("link", "set", inside, "netns", ns);
                Ip("link", "set", network.HostLink(i), "master", network.Bridge);
                Ip("link", "set", network.HostLink(i), "up");
                Ip("-n", ns, "addr", "add", $"{network.Address(i)}/24", "dev", inside);
                Ip("-n", ns, "link", "set", inside, "up");
                Ip("-n", ns, "link", "set", "lo", "up");
            }
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Takes namespace <paramref name="index"/>'s link to the bridge down: from now on it reaches no one and no one reaches it.</summary>
    public void CutOff(int index) => Ip("link", "set", HostLink(index), "down");

    public void Dispose()
    {
        // Deleting one end of a veth pair deletes both; the namespace's own teardown would too, but the kernel may
        // finish it long after the name is gone (seen here: never within the test run).
        for (int i = 0; i < _count; i++)
        {
            TryIp("link", "delete", HostLink(i));
            TryIp("netns", "delete", Namespace(i));
        }
        TryIp("link", "delete", Bridge);
    }

    private static void Ip(params string[] args)
    {
        (int exit, string error) = Run(args);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({exit.ToString(CultureInfo.InvariantCulture)}): {error.Trim()}");
        }
    }

    private static void TryIp(params string[] args) => Run(args);

    private static (int Exit, string Error) Run(string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }
}
