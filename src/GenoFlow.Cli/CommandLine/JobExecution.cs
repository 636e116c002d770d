using System.CommandLine;
using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Jobs;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// Where a job's tile operations run: on an embedded single-node cluster in this process (the default) or, with
/// <c>--cluster H:P</c>, on a running GenoFlow cluster that this process joins as a coordinator for the job's length.
/// Either way the job goes through the same Akka executor, so the answer is the same.
/// </summary>
internal static class JobExecution
{
    public static readonly Option<string[]> Cluster = new("--cluster")
    {
        Description = "Run on a running GenoFlow cluster: host:port of a member (repeat for several seeds). Default: an embedded single-node cluster",
    };

    public static readonly Option<string> Host = new("--host")
    {
        Description = "With --cluster: the address this process binds and advertises to the cluster's members",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static readonly Option<int> MinWorkers = new("--min-workers")
    {
        Description = "With --cluster: wait until this many worker nodes are up before starting (at most genoflow.jobs.worker-wait, 60 s by default; then the job fails naming how many it saw)",
        DefaultValueFactory = _ => 1,
    };

    public static readonly Option<int?> CacheMegabytes = new("--cache-mb")
    {
        Description = "Tile cache of the embedded node, in MiB; bounds its memory whatever the dataset size (default: cluster-config/genoflow.conf, 256)",
    };

    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "HOCON file layered over cluster-config/genoflow.conf (timeouts, retries, Akka settings)",
    };

    public static readonly Option<string?> Certificate = new("--cert")
    {
        Description = "Certificate bundle from genoflow cert issue: joins the cluster over mutual TLS (default: genoflow.cluster.tls.certificate)",
    };

    public static readonly Option<bool> Insecure = new("--insecure")
    {
        Description = "Allow a non-loopback address without TLS (anyone reaching the port can join; warned about at every start)",
    };

    public static void AddOptions(Command command)
    {
        command.Options.Add(Cluster);
        command.Options.Add(Host);
        command.Options.Add(MinWorkers);
        command.Options.Add(CacheMegabytes);
        command.Options.Add(Config);
        command.Options.Add(Certificate);
        command.Options.Add(Insecure);
    }

    /// <summary>--cert and --insecure into a node's settings (unset flags leave the configuration's values).</summary>
    public static ClusterNodeSettings WithSecurity(this ClusterNodeSettings settings, ParseResult parse) => settings with
    {
        CertificatePath = parse.GetValue(Certificate) is { Length: > 0 } path ? Path.GetFullPath(path) : null,
        AllowInsecure = parse.GetValue(Insecure) ? true : null,
    };

    /// <summary>The --config file's HOCON, checked to exist.</summary>
    public static string ReadConfig(FileInfo? file)
    {
        if (file is null)
        {
            return "";
        }
        if (!file.Exists)
        {
            throw new CliUsageException($"--config {file.FullName}: no such file");
        }
        return File.ReadAllText(file.FullName);
    }

    public static async Task<IClusterSession> StartAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        int? cacheMegabytes = parse.GetValue(CacheMegabytes);
        if (cacheMegabytes <= 0)
        {
            throw new CliUsageException("--cache-mb must be positive");
        }
        var settings = new ClusterNodeSettings
        {
            CacheBytes = cacheMegabytes * 1024L * 1024L,
            ExtraHocon = (parse.GetValue(CommandRunner.Verbose) ? "akka.loglevel = INFO" : "akka.loglevel = ERROR") + "\n" + ReadConfig(parse.GetValue(Config)),
        };
        string[] seeds = parse.GetValue(Cluster) ?? [];
        if (seeds.Length == 0)
        {
            return await ClusterSession.StartEmbeddedAsync(settings, cancellationToken);
        }
        IClusterSession session = await ClusterSession.JoinAsync(seeds, settings.WithSecurity(parse) with { Host = parse.GetValue(Host) }, cancellationToken);
        try
        {
            int workers = parse.GetValue(MinWorkers);
            await session.WaitForWorkersAsync(workers, session.WorkerWait, cancellationToken);
            return session;
        }
        catch (TimeoutException e)
        {
            await session.DisposeAsync();
            throw new ClusterJoinException($"--min-workers {parse.GetValue(MinWorkers)}: not enough worker nodes within genoflow.jobs.worker-wait: {e.Message}", e);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One line on where the last job's units (<paramref name="units"/>: "tiles", "sample shards") were computed: the
    /// proof a job really was spread.
    /// </summary>
    public static string DescribeSpread(IClusterSession session, string units = "tiles")
    {
        JobStatistics? statistics = session.Executor.LastStatistics;
        if (statistics is null)
        {
            return $"no {units} computed";
        }
        var perNode = statistics.UnitsPerNode.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key} {n.Value}");
        return $"{units} per node: {string.Join(", ", perNode)}; {statistics.Requests} requests, {statistics.Retries} retried";
    }
}
