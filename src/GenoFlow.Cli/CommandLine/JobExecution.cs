using System.CommandLine;
using GenoFlow.Analysis.Execution;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// Where a job's tile operations run: on the embedded single-node cluster (the default) or, with <c>--cluster H:P</c>,
/// on a running GenoFlow cluster that this process joins as a coordinator for the length of the job.
/// </summary>
internal static class JobExecution
{
    public static readonly Option<string[]> Cluster = new("--cluster")
    {
        Description = "Run on a running cluster: address H:P of a member (repeat for several seeds). Default: an embedded single-node cluster",
    };

    public static readonly Option<int> CacheMegabytes = new("--cache-mb")
    {
        Description = "Tile cache of the embedded node, in MiB (bounds its memory whatever the dataset size)",
        DefaultValueFactory = _ => 256,
    };

    public static void AddOptions(Command command)
    {
        command.Options.Add(Cluster);
        command.Options.Add(CacheMegabytes);
    }

    public static Task<ITileExecutor> StartAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        long cacheBytes = parse.GetValue(CacheMegabytes) * 1024L * 1024L;
        if (cacheBytes <= 0)
        {
            throw new CliUsageException("--cache-mb must be positive");
        }
        return Task.FromResult<ITileExecutor>(new InProcessTileExecutor(new TileCache(cacheBytes)));
    }
}
