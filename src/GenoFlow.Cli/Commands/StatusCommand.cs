using System.CommandLine;
using System.Text.Json;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow status --cluster H:P</c>: joins the cluster as a coordinator-only member for a moment and prints its
/// members (roles, status, reachability), the shards and entities each hosts, and the running jobs with their progress;
/// <c>--json</c> for scripts.
/// </summary>
internal static class StatusCommand
{
    /// <summary>How long to wait for the shard coordinators to answer, and for them to gather every region's statistics.</summary>
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON (members with address, roles, status, reachable, tile_shards, tile_entities, sample_shards, sample_shard_entities; jobs with coordinator, job_id, kind, units, done, total, started)" };
        var command = new Command("status", "Show a running cluster's members, their roles, status and reachability, the tiles and sample shards each hosts, and its running jobs with their progress")
        {
            json, JobExecution.Cluster, JobExecution.Host, JobExecution.Config, JobExecution.Certificate, JobExecution.Insecure,
        };
        command.SetWork(async (parse, cancellationToken) =>
        {
            string[] seeds = parse.GetValue(JobExecution.Cluster) ?? [];
            if (seeds.Length == 0)
            {
                throw new CliUsageException("status needs --cluster host:port of a running member");
            }
            var settings = new ClusterNodeSettings
            {
                Host = parse.GetValue(JobExecution.Host),
                ExtraHocon = "akka.loglevel = ERROR\n" + JobExecution.ReadConfig(parse.GetValue(JobExecution.Config)),
            }.WithSecurity(parse);
            await using IClusterSession session = await ClusterSession.JoinAsync(seeds, settings, cancellationToken);
            // A member that has just joined asks the shard coordinators through proxies that find them in a moment;
            // until they do, every region would read as empty.
            await session.WaitForWorkersAsync(1, StatsTimeout, cancellationToken);
            ClusterStatus status = await session.StatusAsync(StatsTimeout, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(status, Json));
                return CommandRunner.Ok;
            }
            Console.WriteLine($"{status.Members.Count} member(s), as seen from {session.Address} (this status query, role coordinator):");
            foreach (ClusterMemberStatus m in status.Members)
            {
                Console.WriteLine($"  {m.Address}  {string.Join(",", m.Roles),-18} {m.Status,-8} {(m.Reachable ? "reachable" : "UNREACHABLE"),-11}  " +
                    $"tiles: {m.TileShards} shards, {m.TileEntities} entities; sample shards: {m.SampleShards} shards, {m.SampleShardEntities} entities");
            }
            Console.WriteLine($"{status.Jobs.Count} running job(s):");
            foreach (ClusterJobStatus j in status.Jobs)
            {
                Console.WriteLine($"  {j.JobId}  {j.Kind,-22} {j.Done}/{j.Total} {j.Units} done  started {j.Started:yyyy-MM-dd HH:mm:ss}Z  on {j.Coordinator}");
            }
            return CommandRunner.Ok;
        });
        return command;
    }
}
