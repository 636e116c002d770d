using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Engine;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow node</c>: a long-running cluster member. It stays up until Ctrl-C or SIGTERM and then leaves the
/// cluster gracefully, handing its shards to the remaining workers (exit 0); a member the cluster downs exits 1.
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var roles = new Option<string>("--roles") { Description = "Comma-separated roles: worker (hosts tiles), coordinator (runs jobs)", DefaultValueFactory = _ => GenoFlowRoles.Worker };
        var host = new Option<string>("--host") { Description = "Address to bind and advertise", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port to bind (0: any free port)", DefaultValueFactory = _ => 0 };
        var seeds = new Option<string[]>("--seed") { Description = "host:port of a seed member (repeat for several); none: start a new cluster with this node as its seed" };
        var contactPoints = new Option<string?>("--bootstrap-contact-points") { Description = "Join by Cluster Bootstrap instead of seeds: host:port of every node's management endpoint, this one's included, comma-separated" };
        var managementPort = new Option<int?>("--management-port") { Description = "Port of this node's management endpoint, which serves only the bootstrap route (default 8558)" };
        var cacheMegabytes = new Option<int?>("--cache-mb") { Description = "Tile cache size in MiB (default: cluster-config/genoflow.conf, 256)" };
        var command = new Command("node", "Run a GenoFlow cluster member until Ctrl-C / SIGTERM") { roles, host, port, seeds, contactPoints, managementPort, cacheMegabytes, JobExecution.Config, JobExecution.Certificate, JobExecution.Insecure, JobExecution.DataRoot, JobExecution.ScratchRoot };
        command.SetWork(async (parse, cancellationToken) =>
        {
            string[] roleList = parse.GetValue(roles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string[] known = [GenoFlowRoles.Worker, GenoFlowRoles.Coordinator];
            if (roleList.Length == 0 || roleList.Any(r => !known.Contains(r, StringComparer.Ordinal)))
            {
                throw new CliUsageException($"--roles takes worker and/or coordinator, comma-separated (got '{parse.GetValue(roles)}')");
            }
            int? cache = parse.GetValue(cacheMegabytes);
            if (cache <= 0)
            {
                throw new CliUsageException("--cache-mb must be positive");
            }
            var settings = new ClusterNodeSettings
            {
                Roles = roleList,
                Host = parse.GetValue(host),
                Port = parse.GetValue(port),
                Seeds = parse.GetValue(seeds) ?? [],
                BootstrapContactPoints = parse.GetValue(contactPoints)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ManagementPort = parse.GetValue(managementPort),
                CacheBytes = cache * 1024L * 1024L,
                ExtraHocon = JobExecution.ReadConfig(parse.GetValue(JobExecution.Config)),
            }.WithSecurity(parse).WithRoots(parse);
            await using IClusterSession session = await ClusterSession.StartNodeAsync(settings, cancellationToken);
            // Scripts and tests wait for this line before sending work.
            Console.WriteLine($"node up at {session.Endpoint} ({session.Address}), roles {string.Join(",", session.Roles)}; Ctrl-C to leave");
            try
            {
                await session.Terminated.WaitAsync(cancellationToken);
                // Not asked to stop: the cluster downed or removed this member. Non-zero, so a supervisor restarts it.
                Console.Error.WriteLine($"genoflow: node {session.Endpoint} was removed from the cluster (downed by the split-brain resolver, or quarantined); exiting");
                return CommandRunner.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine("leaving the cluster");
            }
            return CommandRunner.Ok;
        });
        return command;
    }
}
