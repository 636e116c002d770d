namespace GenoFlow.Cli.Tests;

/// <summary>
/// The inputs and undisturbed reference outputs every cluster fault test compares against, made once for the whole
/// <see cref="ClusterFaultCollection"/>:
/// a genotype dataset for the tile jobs (QC, LD prune, PCA, projection), a smaller one for training and prediction
/// (exact aggregation sums XᵀX, so it needs few variants), and every job kind's output from an embedded run.
/// </summary>
public sealed class FailoverCohort : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <summary>Worker settings that notice a dead worker in seconds and retry its units instead of failing the job.</summary>
    public const string FastFailover = """
        genoflow.jobs.request-timeout = 3s
        genoflow.jobs.max-attempts = 30
        akka.cluster.split-brain-resolver.stable-after = 2s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.failure-detector.heartbeat-interval = 500ms
        """;

    /// <summary>
    /// The job client's settings: fast failover, and one unit in flight per worker, so that a worker always has more of
    /// the job to come whenever it dies (a short job would otherwise send every unit at once).
    /// </summary>
    public string ClientConfig => this["client.conf"];

    /// <summary>Worker settings file: <see cref="FastFailover"/>.</summary>
    public string WorkerConfig => this["fast-failover.conf"];

    public string this[string name] => _dir[name];

    /// <summary>
    /// Writes <see cref="FastFailover"/> at DEBUG to <paramref name="path"/>: the sharding then logs "Started entity"
    /// when a unit of a job first reaches the node, the moment fault tests act on.
    /// </summary>
    public static async Task<string> WriteDebugConfigAsync(string path)
    {
        await File.WriteAllTextAsync(path, FastFailover + "\nakka.loglevel = DEBUG\n");
        return path;
    }

    /// <summary>The job kinds a cluster runs, each with its command line (output directory last) and the files it writes.</summary>
    /// <summary>In dependency order: projection and k-means read the PCA's reference output, prediction the averaged model.</summary>
    public static IReadOnlyList<(string Kind, Func<FailoverCohort, string[]> Args, string[] Outputs)> Jobs { get; } =
        [
            // Without the result store: the reference run would fill it, and the cluster run would compute nothing.
            ("qc", c => ["qc", c["ds"], "--no-result-store"], ["variant_qc.tsv", "sample_qc.tsv", "variants.keep", "samples.keep", "qc_filter.json"]),
            ("ld-prune", c => ["ld-prune", c["ds"], "--r2", "0.05", "--no-result-store"], ["prune.in", "prune.out"]),
            ("pca", c => ["pca", c["ds"], "-k", "3", "--seed", "5", "--tolerance", "1e-4"], ["eigenvalues.tsv", "scores.tsv", "loadings.parquet", "model.json"]),
            ("project", c => ["project", "--model", c["reference-pca"], "--dataset", c["ds"]], ["scores.tsv", "overlap.tsv"]),
            ("kmeans", c => ["kmeans", "--input", c["reference-pca/scores.tsv"], "--k", "3", "--seed", "4", "--rows-per-shard", "100", "--batch-size", "200"],
                ["centroids.tsv", "assignments.tsv", "summary.json"]),
            ("train-average", c => ["train", c["ds-train"], "--phenotypes", c["sim-train/phenotypes.tsv"], "--rows-per-shard", "100",
                "--target", "trait_b", "--model", "logistic", "--covariates", "age,sex", "--l2", "0.02", "--rounds", "60"], ["model.json", "predictions.tsv", "metrics.json"]),
            ("train-exact", c => ["train", c["ds-train"], "--phenotypes", c["sim-train/phenotypes.tsv"], "--rows-per-shard", "100",
                "--target", "trait_q", "--model", "linear", "--aggregate", "exact"], ["model.json", "predictions.tsv", "metrics.json"]),
            ("predict", c => ["predict", "--model", c["reference-train-average"], "--dataset", c["ds-train"], "--phenotypes", c["sim-train/phenotypes.tsv"], "--rows-per-shard", "100"],
                ["predictions.tsv", "metrics.json"]),
        ];

    private static (string Kind, Func<FailoverCohort, string[]> Args, string[] Outputs) Job(string kind) => Jobs.Single(j => j.Kind == kind);

    /// <summary>Job <paramref name="kind"/>'s command line writing to <paramref name="output"/>.</summary>
    public string[] CommandFor(string kind, string output) => [.. Job(kind).Args(this), "--out", output];

    /// <summary>Asserts that <paramref name="output"/> holds job <paramref name="kind"/>'s reference bytes, file by file.</summary>
    public void AssertSameAsReference(string kind, string output)
    {
        foreach (string file in Job(kind).Outputs)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(this[$"reference-{kind}"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))),
                $"{kind}: {file} differs from the undisturbed run");
        }
    }

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(WorkerConfig, FastFailover);
        await File.WriteAllTextAsync(ClientConfig, FastFailover + "\ngenoflow.jobs.in-flight-per-worker = 1\n");
        // 1,100 tiles of 60 variants: a QC takes seconds on three nodes, a PCA some ten.
        await GenoFlowProcess.RunOkAsync("simulate", "--out", this["sim"], "--samples", "1200", "--variants", "12000", "--populations", "3", "--missing-rate", "0.02", "--seed", "21");
        await GenoFlowProcess.RunOkAsync("import", "--bed", this["sim/cohort"], "--out", this["ds"], "--variants-per-tile", "60", "--samples-per-tile", "256");
        await GenoFlowProcess.RunOkAsync("simulate", "--out", this["sim-train"], "--samples", "1200", "--variants", "500", "--populations", "3", "--seed", "21");
        await GenoFlowProcess.RunOkAsync("import", "--bed", this["sim-train/cohort"], "--out", this["ds-train"], "--variants-per-tile", "128", "--samples-per-tile", "128");
        foreach (var job in Jobs)
        {
            await GenoFlowProcess.RunOkAsync(CommandFor(job.Kind, this[$"reference-{job.Kind}"]));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();
}
