using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// Training and prediction on three real node processes give the embedded single-node bytes: fixed penalties,
/// cross-validated penalties (averaging and exact, k-fold, generalised and leave-one-out) and feature tables joined to the genotypes;
/// they move as many bytes through the scratch store.
/// </summary>
[Collection(ThreeNodeCollection.Name)]
public sealed class ClusterTrainTests(ThreeNodeCluster cluster, ClusterTrainTests.Cohort cohort) : IClassFixture<ClusterTrainTests.Cohort>
{
    private static readonly string[] TrainOutputs = ["model.json", "predictions.tsv", "metrics.json"];

    /// <summary>
    /// A small cohort with an omics table (900 x 500, 3 populations) in 20 shards of 45 rows: on the shared cluster the
    /// Akka shards earlier jobs placed keep their nodes, so a job's sample shards land on nodes as if at random, and
    /// with 20 of them all three nodes get some but for a chance of 3·(2/3)²⁰ ≈ 0.1% (9 left one idle in about 8%).
    /// </summary>
    public sealed class Cohort : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _dir = new();

        public string this[string name] => _dir[name];

        public async Task InitializeAsync()
        {
            await GenoFlowProcess.RunOkAsync("simulate", "--out", this["sim"], "--samples", "900", "--variants", "500", "--populations", "3", "--seed", "21", "--omics", "6");
            await GenoFlowProcess.RunOkAsync("import", "--bed", this["sim/cohort"], "--out", this["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _dir.Dispose();
    }

    [Fact]
    public async Task Train_and_predict_on_three_nodes_match_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await TrainBothWays(dir,
            ["--target", "trait_b", "--model", "logistic", "--covariates", "age,sex", "--l2", "0.02", "--rounds", "60"],
            ["--target", "trait_q", "--model", "linear", "--l1", "0.01", "--l2", "0.1", "--local-epochs", "2", "--rounds", "40"],
            ["--target", "trait_q", "--model", "linear", "--aggregate", "exact"]);
        await PredictBothWays(dir, "train0");
    }

    /// <summary>
    /// Every fit of the l2 search (each fold at each grid and refinement point) reduces in shard order, and the folds
    /// depend on the sample ids only, so the chosen penalty, the fold metrics and the refit are the same bytes.
    /// </summary>
    [Fact]
    public async Task Cross_validated_training_on_three_nodes_matches_the_embedded_run()
    {
        using var dir = new TempDirectory();
        // Two folds, a loose tolerance and 20 rounds keep the search's 30 averaging fits per model short.
        string[] search = ["--folds", "2", "--tolerance", "1e-3", "--rounds", "20"];
        await TrainBothWays(dir,
            ["--target", "trait_q", "--model", "linear", "--covariates", "age,sex", "--aggregate", "average", .. search],
            ["--target", "trait_b", "--model", "logistic", "--covariates", "age,sex", .. search],
            ["--target", "trait_q", "--model", "linear", "--aggregate", "exact", "--cv", "gcv"],
            ["--target", "trait_q", "--model", "linear", "--aggregate", "exact", "--cv", "kfold", "--folds", "3"],
            // --aggregate auto (the default) takes exact ridge here; leave-one-out sums each shard's residuals per l2.
            ["--target", "trait_q", "--model", "linear", "--cv", "loo"]);
        string[] methods = ["kfold", "kfold", "gcv", "kfold", "loo"];
        for (int i = 0; i < methods.Length; i++)
        {
            using JsonDocument model = JsonDocument.Parse(await File.ReadAllBytesAsync(dir[$"cluster{i}/model.json"]));
            Assert.Equal(methods[i], model.RootElement.GetProperty("cross_validation").GetProperty("method").GetString());
        }
    }

    [Fact]
    public async Task Training_and_prediction_with_feature_tables_on_three_nodes_match_the_embedded_run()
    {
        using var dir = new TempDirectory();
        await TrainBothWays(dir,
            ["--target", "trait_q", "--model", "linear", "--aggregate", "average", "--covariates", "age", "--features", cohort["sim/omics.tsv"], "--l2", "0.1", "--rounds", "60"],
            ["--target", "trait_q", "--model", "linear", "--aggregate", "exact", "--features", cohort["sim/omics.tsv"] + ":omics_1,omics_4"]);
        await PredictBothWays(dir, "train0", "--features", cohort["sim/omics.tsv"]);
        Assert.Contains("\"features\"", await File.ReadAllTextAsync(dir["cluster0/model.json"]), StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs <c>train</c> with each of <paramref name="runs"/> embedded (output <c>trainI</c>) and on the cluster
    /// (<c>clusterI</c>), and asserts the same bytes and that all three nodes fitted shards.
    /// </summary>
    private async Task TrainBothWays(TempDirectory dir, params string[][] runs)
    {
        string[] common = ["train", cohort["ds"], "--phenotypes", cohort["sim/phenotypes.tsv"], "--rows-per-shard", "45"];
        for (int i = 0; i < runs.Length; i++)
        {
            GenoFlowProcess.Result embedded = await GenoFlowProcess.RunOkAsync([.. common, .. runs[i], "--out", dir[$"train{i}"]]);
            GenoFlowProcess.Result onCluster = await cluster.RunOkAsync([.. common, .. runs[i], "--out", dir[$"cluster{i}"]]);
            ThreeNodeCluster.AssertSameBytes(dir[$"train{i}"], dir[$"cluster{i}"], TrainOutputs, $"train {string.Join(' ', runs[i])}");
            Assert.Equal(3, ThreeNodeCluster.NodesThatWorked(onCluster.StdOut));
            // Each worker reads the shard set's manifest (a few KB) once more than the one in-process cache does.
            ScratchFigures.AssertClusterMatches(embedded, onCluster, extraReadMegabytes: 0.02);
        }
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    /// <summary>Predicts the cohort with the embedded and the cluster model <paramref name="model"/>, embedded and on the cluster, and compares the bytes.</summary>
    private async Task PredictBothWays(TempDirectory dir, string model, params string[] extra)
    {
        string[] Predict(string modelDir, string output) =>
            ["predict", "--model", modelDir, "--dataset", cohort["ds"], "--phenotypes", cohort["sim/phenotypes.tsv"], "--rows-per-shard", "45", .. extra, "--out", output];
        await GenoFlowProcess.RunOkAsync(Predict(dir[model], dir["embedded-pred"]));
        GenoFlowProcess.Result predicted = await cluster.RunOkAsync(Predict(dir[model.Replace("train", "cluster", StringComparison.Ordinal)], dir["cluster-pred"]));
        ThreeNodeCluster.AssertSameBytes(dir["embedded-pred"], dir["cluster-pred"], ["predictions.tsv", "metrics.json"], "predict");
        Assert.Equal(3, ThreeNodeCluster.NodesThatWorked(predicted.StdOut));
    }
}
