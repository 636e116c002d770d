using System.Globalization;
using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary>
/// <c>--features</c> tables on <c>kmeans</c> (joined to the input's rows, standardised, missing and absent samples
/// counted, duplicate ids refused with their lines) and the <c>features</c> key of pipeline train, predict and kmeans
/// stages (a changed table recomputes its stages only).
/// </summary>
public sealed class FeatureTableCommandTests
{
    [Fact]
    public async Task Kmeans_clusters_on_columns_joined_from_a_feature_table_and_counts_what_it_lacks()
    {
        using var dir = new TempDirectory();
        await KMeansCommandTests.WriteBlobsAsync(dir["blobs.tsv"], 1200, 4, 3, 8);
        string[] blobs = await File.ReadAllLinesAsync(dir["blobs.tsv"]);
        // The input holds a column that says nothing of the blobs; x2 and x3 come from a second table, in another order,
        // with 6 samples absent and 4 cells missing.
        await File.WriteAllLinesAsync(dir["input.tsv"], ["sample_id\tbatch", .. blobs.Skip(1).Select((l, i) => $"{l.Split('\t')[0]}\t{i % 3 * 0.01}")]);
        string[] joined = [blobs[0].Split('\t') is var h ? $"{h[0]}\t{h[3]}\t{h[4]}" : "", .. blobs.Skip(7).Reverse().Select((l, i) =>
        {
            string[] f = l.Split('\t');
            return $"{f[0]}\t{(i < 4 ? "NA" : f[3])}\t{f[4]}";
        })];
        await File.WriteAllLinesAsync(dir["omics.tsv"], joined);

        GenoFlowProcess.Result run = await GenoFlowProcess.RunOkAsync("kmeans", "--input", dir["input.tsv"], "--features", dir["omics.tsv"], "--k", "4",
            "--out", dir["km"], "--rows-per-shard", "256");

        double ari = await KMeansCommandTests.AdjustedRandIndexAsync(dir["blobs.tsv"], "population", dir["km/assignments.tsv"]);
        Assert.True(ari >= 0.95, $"adjusted Rand index {ari}\n{run}");
        Assert.Equal("cluster\tbatch\tx2\tx3", (await File.ReadAllLinesAsync(dir["km/centroids.tsv"]))[0]);
        Assert.Contains($"features from {dir["omics.tsv"]}: 2 columns; 6 samples absent, 4 missing values (set to the mean)", run.StdOut, StringComparison.Ordinal);
        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(dir["km/summary.json"]));
        JsonElement table = summary.RootElement.GetProperty("feature_tables")[0];
        Assert.Equal(6, table.GetProperty("absent_samples").GetInt32());
        Assert.Equal(4, table.GetProperty("missing_values").GetInt32());
        Assert.Equal(["batch", "x2", "x3"], summary.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));

        // Without the table, the input's column cannot tell the four blobs apart.
        await GenoFlowProcess.RunOkAsync("kmeans", "--input", dir["input.tsv"], "--k", "3", "--out", dir["x1"], "--rows-per-shard", "256");
        Assert.True(await KMeansCommandTests.AdjustedRandIndexAsync(dir["blobs.tsv"], "population", dir["x1/assignments.tsv"]) < 0.1);
    }

    [Fact]
    public async Task Kmeans_feature_tables_are_standardised_and_named_columns_picked()
    {
        using var dir = new TempDirectory();
        await File.WriteAllLinesAsync(dir["input.tsv"], ["sample_id\tx", "a\t0", "b\t0", "c\t10", "d\t10"]);
        await File.WriteAllLinesAsync(dir["extra.tsv"], ["sample_id\tbig\tsmall\tlabel", "a\t1000\t1\tp", "b\t3000\t1\tq", "c\t1000\t2\tr", "d\t3000\t2\ts"]);

        await GenoFlowProcess.RunOkAsync("kmeans", "--input", dir["input.tsv"], "--features", dir["extra.tsv"] + ":big", "--k", "2", "--out", dir["km"], "--seed", "2");

        // x spans 10 units, big (standardised) 2: the clusters follow x, as they would not on big's raw scale.
        string[] rows = (await File.ReadAllLinesAsync(dir["km/assignments.tsv"])).Skip(1).ToArray();
        string Cluster(int i) => rows[i].Split('\t')[1];
        Assert.Equal(Cluster(0), Cluster(1));
        Assert.Equal(Cluster(2), Cluster(3));
        Assert.NotEqual(Cluster(0), Cluster(2));
        Assert.Equal("cluster\tx\tbig", (await File.ReadAllLinesAsync(dir["km/centroids.tsv"]))[0]);
        double[] centre = (await File.ReadAllLinesAsync(dir["km/centroids.tsv"]))[1].Split('\t').Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0, centre[0], 1e-12);
    }

    [Theory]
    [InlineData("sample_id\tg1\na\t1\nb\t2\na\t3\n", "extra.tsv, line 4, column 1: sample 'a' appears twice (line 2 and line 4)")]
    [InlineData("sample_id\tx\na\t1\n", "column 'x' of")]
    [InlineData("sample_id\tlabel\na\tp\n", "has no numeric column besides the sample id")]
    public async Task Kmeans_refuses_a_bad_feature_table_naming_it(string table, string message)
    {
        using var dir = new TempDirectory();
        await File.WriteAllLinesAsync(dir["input.tsv"], ["sample_id\tx", "a\t0", "b\t1", "c\t5"]);
        await File.WriteAllTextAsync(dir["extra.tsv"], table);

        GenoFlowProcess.Result run = await GenoFlowProcess.RunAsync(["kmeans", "--input", dir["input.tsv"], "--features", dir["extra.tsv"], "--k", "2", "--out", dir["km"]]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["km"]));
    }

    [Fact]
    public async Task Pipeline_train_predict_and_kmeans_stages_take_feature_tables_and_rerun_when_one_changes()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "500", "--variants", "300", "--populations", "2", "--seed", "31", "--omics", "6");
        string pipeline = dir["p.yaml"];
        await File.WriteAllTextAsync(pipeline, """
            version: 1
            inputs:
              cohort: { bed: sim/cohort }
              phenos: { table: sim/phenotypes.tsv }
            stages:
              qc: { kind: qc, dataset: cohort }
              model:
                kind: train
                dataset: cohort
                phenotypes: phenos
                target: trait_q
                model: linear
                covariates: [age]
                l2: 0.5
                rows-per-shard: 128
                features: [sim/omics.tsv]
              scored: { kind: predict, model: model, dataset: cohort, phenotypes: phenos, features: sim/omics.tsv, rows-per-shard: 128 }
              clusters: { kind: kmeans, scores: phenos, columns: [age], k: 2, features: ["sim/omics.tsv:omics_1,omics_2"] }
            """);

        GenoFlowProcess.Result first = await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);

        using (JsonDocument model = JsonDocument.Parse(await File.ReadAllTextAsync(dir["run/model/model.json"])))
        {
            Assert.Equal(["omics_1", "omics_2", "omics_3", "omics_4", "omics_5", "omics_6"],
                model.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        }
        // Predicting the training dataset gives the training predictions back, digit for digit.
        Dictionary<string, string> trained = Predictions(dir["run/model/predictions.tsv"]);
        Dictionary<string, string> scored = Predictions(dir["run/scored/predictions.tsv"]);
        Assert.All(trained, p => Assert.Equal(p.Value, scored[p.Key]));
        using (JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(dir["run/clusters/summary.json"])))
        {
            Assert.Equal(["age", "omics_1", "omics_2"], summary.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        }
        Assert.Contains("features from", first.StdOut, StringComparison.Ordinal);

        string[] omics = await File.ReadAllLinesAsync(dir["sim/omics.tsv"]);
        await File.WriteAllLinesAsync(dir["sim/omics.tsv"], [.. omics.Take(omics.Length - 1)]);
        GenoFlowProcess.Result second = await GenoFlowProcess.RunOkAsync("run", pipeline, "--run-dir", dir["run"]);

        Dictionary<string, string> states = RunCommandTests.States(dir["run"]);
        Assert.Equal("up-to-date", states["qc"]);
        Assert.All(new[] { "model", "scored", "clusters" }, s => Assert.Equal("done", states[s]));
        Assert.Contains("1 samples absent", second.StdOut, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Predictions(string file) =>
        File.ReadLines(file).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
}
