using System.CommandLine;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// Where a job's tile operations run: on this process's thread pool (the in-process executor, the default), with
/// <c>--cluster H:P</c> on a running GenoFlow cluster that this process joins as a coordinator for the job's length, or
/// with <c>--embedded-cluster</c> on a single-node Akka cluster in this process. The executors give the same bytes.
/// </summary>
internal static class JobExecution
{
    public static readonly Option<string[]> Cluster = new("--cluster")
    {
        Description = "Run on a running GenoFlow cluster: host:port of a member (repeat for several seeds). Default: this process's threads (the in-process executor)",
    };

    public static readonly Option<bool> EmbeddedCluster = new("--embedded-cluster")
    {
        Description = "Run on a single-node Akka cluster started in this process (loopback TCP, sharded tile entities, the job coordinator) instead of the in-process executor: the same bytes, about 2 s more to start and leave",
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
        Description = "Tile cache of this process without --cluster, in MiB; bounds its memory whatever the dataset size (default: cluster-config/genoflow.conf, 256)",
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

    public static readonly Option<string[]> DataRoot = new("--data-root")
    {
        Description = "Directory datasets are opened under (repeat for several); messages name datasets relative to it, so with --cluster give it as this machine sees the shared data (default: genoflow.cluster.data-roots; without --cluster: /). Without --cluster and --embedded-cluster no message is exchanged and it is not used",
    };

    public static readonly Option<string?> ScratchRoot = new("--scratch-root")
    {
        Description = "Directory of job scratch areas, on a filesystem every node sees (default: genoflow.cluster.scratch-root; without --cluster: .genoflow-scratch beside the output)",
    };

    /// <summary>The hidden directory beside a job's output that holds its scratch areas when it runs without --cluster and no scratch root is configured.</summary>
    public const string EmbeddedScratchFolder = ".genoflow-scratch";

    public static void AddOptions(Command command)
    {
        command.Options.Add(Cluster);
        command.Options.Add(EmbeddedCluster);
        command.Options.Add(Host);
        command.Options.Add(MinWorkers);
        command.Options.Add(CacheMegabytes);
        command.Options.Add(Config);
        command.Options.Add(Certificate);
        command.Options.Add(Insecure);
        command.Options.Add(DataRoot);
        command.Options.Add(ScratchRoot);
    }

    /// <summary>--data-root and --scratch-root into a node's settings (unset flags leave the configuration's values).</summary>
    public static ClusterNodeSettings WithRoots(this ClusterNodeSettings settings, ParseResult parse) => settings with
    {
        DataRoots = parse.GetValue(DataRoot) is { Length: > 0 } roots ? [.. roots.Select(Path.GetFullPath)] : settings.DataRoots,
        ScratchRoot = parse.GetValue(ScratchRoot) is { Length: > 0 } scratch ? Path.GetFullPath(scratch) : settings.ScratchRoot,
    };

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

    /// <param name="outputDirectory">Where the job writes: without --cluster its scratch areas go beside it unless a scratch root is configured.</param>
    public static async Task<JobSession> StartAsync(ParseResult parse, string outputDirectory, CancellationToken cancellationToken)
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
        }.WithRoots(parse);
        string[] seeds = parse.GetValue(Cluster) ?? [];
        bool embeddedCluster = parse.GetValue(EmbeddedCluster);
        if (seeds.Length == 0)
        {
            settings = settings with { ScratchRoot = settings.ScratchRoot ?? EmbeddedScratchRoot(outputDirectory) };
            if (!embeddedCluster)
            {
                return new JobSession(InProcessNode.Start(settings));
            }
            IClusterSession embedded = await ClusterSession.StartEmbeddedAsync(settings, cancellationToken);
            return new JobSession(embedded.Executor, embedded);
        }
        if (embeddedCluster)
        {
            throw new CliUsageException("give either --cluster H:P or --embedded-cluster, not both");
        }
        IClusterSession session = await ClusterSession.JoinAsync(seeds, settings.WithSecurity(parse) with { Host = parse.GetValue(Host) }, cancellationToken);
        try
        {
            int workers = parse.GetValue(MinWorkers);
            await session.WaitForWorkersAsync(workers, session.WorkerWait, cancellationToken);
            return new JobSession(session.Executor, session);
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

    /// <summary>The default scratch root of a job without --cluster: beside its output, on the same filesystem, where the user can write.</summary>
    public static string EmbeddedScratchRoot(string outputDirectory)
    {
        string output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory));
        return Path.Join(Path.GetDirectoryName(output) ?? output, EmbeddedScratchFolder);
    }

    /// <summary>
    /// Removes the default scratch root beside <paramref name="outputDirectory"/> once no job uses it (the job's own
    /// area is gone by then), so a local run leaves nothing beside its output. Another job's area keeps it.
    /// </summary>
    public static void RemoveEmptyEmbeddedScratch(string outputDirectory)
    {
        string root = EmbeddedScratchRoot(outputDirectory);
        foreach (string directory in new[] { Path.Join(root, Analysis.Execution.ScratchRoot.JobsFolder), root })
        {
            try
            {
                if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (IOException)
            {
                // Another job made its area meanwhile: the root is in use.
            }
        }
    }
}
