// GenoFlow load harness: K concurrent job clients submit mixed jobs (QC, PCA, k-means, training) to a 3-worker cluster
// of real node processes for T seconds, optionally with churn (a worker killed and replaced every S seconds), and
// report throughput, job latency percentiles (HdrHistogram), retries and errors. Every job's output is compared with
// its reference bytes; any failure or difference is an error and the harness exits 1.
//
//   dotnet run --project loadtests/GenoFlow.LoadTests -c Release -- [--smoke] [--concurrency K] [--seconds T] [--churn-seconds S]
//
// --smoke: a small cohort and 20 s (what CI runs); otherwise 2,000 x 20,000 and 300 s. GENOFLOW_DLL names the published
// app (default artifacts/genoflow/genoflow.dll, as tests/run.sh publishes it).
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GenoFlow.LoadTests;
using HdrHistogram;

Dictionary<string, string> options = Options(args);
bool smoke = options.ContainsKey("--smoke");
int concurrency = int.Parse(options.GetValueOrDefault("--concurrency", "4"), CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("--seconds", smoke ? "20" : "300"), CultureInfo.InvariantCulture));
int churnSeconds = int.Parse(options.GetValueOrDefault("--churn-seconds", "0"), CultureInfo.InvariantCulture);
string dll = Environment.GetEnvironmentVariable("GENOFLOW_DLL") is { Length: > 0 } published
    ? published
    : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../artifacts/genoflow/genoflow.dll"));
string work = Path.Combine(Path.GetTempPath(), "genoflow-load-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
try
{
    var mix = new JobMix(dll, work);
    await mix.PrepareAsync(smoke ? 600 : 2000, smoke ? 3000 : 20000);
    // Failure detection in seconds, so that churn costs retries rather than minutes; but not below what a saturated
    // machine delays heartbeats by: at full size, four clients' jobs on three workers keep two cores busy, and with a 2 s
    // pause and a 2 s resolver all three workers were once gone within 13 s of one another (no client could join).
    string config = Path.Combine(work, "cluster.conf");
    // Every member and client opens datasets under the work directory and keeps job scratch areas in it.
    await File.WriteAllTextAsync(config, $$"""
        genoflow.cluster.data-roots = ["{{work}}"]
        genoflow.cluster.scratch-root = "{{Path.Combine(work, "scratch")}}"
        genoflow.jobs.request-timeout = 3s
        genoflow.jobs.max-attempts = 30
        # A job client cannot become a member while a killed worker is still unreachable (no convergence until it is
        # downed): under churn on a saturated machine that took longer than the default 20 s.
        genoflow.cluster.join-timeout = 60s
        akka.cluster.split-brain-resolver.stable-after = 4s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 5s
        akka.cluster.failure-detector.heartbeat-interval = 500ms
        """);
    string logs = Path.Combine(work, "logs");
    Directory.CreateDirectory(logs);
    await using var cluster = new LoadCluster(dll, config, logs);
    await cluster.StartAsync(3);

    var latency = new LongHistogram(TimeStamp.Minutes(30), 3);
    long jobs = 0, units = 0, retries = 0, errors = 0, churns = 0, messageKilobytes = 0, scratchKilobytes = 0;
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource(duration);
    async Task ClientAsync(int client)
    {
        for (int n = client; !stop.IsCancellationRequested; n++)
        {
            JobMix.Kind kind = mix.Kinds[n % mix.Kinds.Count];
            string output = Path.Combine(work, $"out-{client}-{n}");
            long start = Stopwatch.GetTimestamp();
            var result = await GenoFlowRunner.RunAsync(dll, [.. kind.Args(output), .. cluster.Seeds.SelectMany(seed => new[] { "--cluster", seed }), "--min-workers", "2", "--config", config]);
            lock (latency)
            {
                latency.RecordValue(Stopwatch.GetTimestamp() - start);
                jobs++;
            }
            string? problem = result.ExitCode != 0 ? $"exit {result.ExitCode}: {result.StdErr.Trim()}" : mix.FirstDifference(kind, output) is { } file ? $"{file} differs from the reference" : null;
            if (problem is not null)
            {
                Interlocked.Increment(ref errors);
                Console.Error.WriteLine($"error: {kind.Name}: {problem}");
            }
            Interlocked.Add(ref units, Regex.Matches(result.StdOut, @"akka\.tcp://\S+ (\d+)").Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
            Interlocked.Add(ref retries, Regex.Match(result.StdOut, @" (\d+) retried") is { Success: true } r ? long.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
            // The job's payload through Akka messages, from its statistics line (megabytes with two decimals).
            Interlocked.Add(ref messageKilobytes, Regex.Match(result.StdOut, @" ([\d.]+) MB in messages") is { Success: true } b ? (long)(double.Parse(b.Groups[1].Value, CultureInfo.InvariantCulture) * 1000) : 0);
            Interlocked.Add(ref scratchKilobytes, Regex.Match(result.StdOut, @" ([\d.]+) MB through the scratch store") is { Success: true } c ? (long)(double.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture) * 1000) : 0);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
    async Task ChurnAsync()
    {
        while (churnSeconds > 0 && !stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(churnSeconds), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            if (!stop.IsCancellationRequested)
            {
                await cluster.ChurnAsync();
                churns++;
            }
        }
    }
    await Task.WhenAll([.. Enumerable.Range(0, concurrency).Select(ClientAsync), ChurnAsync()]);
    double seconds = clock.Elapsed.TotalSeconds;
    double Ms(double percentile) => latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine($"load: {concurrency} clients, {seconds:F0} s, 3 workers, churn {(churnSeconds > 0 ? $"every {churnSeconds} s ({churns} workers replaced)" : "off")}{(smoke ? ", smoke size" : "")}");
    Console.WriteLine($"jobs: {jobs} ({jobs * 60 / seconds:F1}/min), units computed: {units} ({units / seconds:F0}/s), retries: {retries}, errors: {errors}");
    Console.WriteLine($"message payload: {messageKilobytes / 1000.0:F1} MB ({(jobs == 0 ? 0 : messageKilobytes / 1000.0 / jobs):F2} MB/job)");
    Console.WriteLine($"scratch store: {scratchKilobytes / 1000.0:F1} MB written and read ({(jobs == 0 ? 0 : scratchKilobytes / 1000.0 / jobs):F2} MB/job)");
    Console.WriteLine($"job latency ms: p50 {Ms(50):F0}, p95 {Ms(95):F0}, p99 {Ms(99):F0}, max {latency.GetMaxValue() * 1000.0 / Stopwatch.Frequency:F0}");
    // A worker the harness did not kill that left anyway (the split-brain resolver downed it, or it crashed) is not a
    // failed job, since jobs retry elsewhere, but it is reported with its log so that it can be explained.
    IReadOnlyList<string> unexpected = cluster.UnexpectedExits;
    Console.WriteLine($"workers lost without being killed: {unexpected.Count}");
    foreach (string exit in unexpected)
    {
        Console.Error.WriteLine(exit);
    }
    return errors == 0 && jobs > 0 ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static Dictionary<string, string> Options(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i < args.Length; i++)
    {
        options[args[i]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
    }
    return options;
}
