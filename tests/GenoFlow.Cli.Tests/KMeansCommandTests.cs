using System.Globalization;
using System.Text.Json;

namespace GenoFlow.Cli.Tests;

/// <summary><c>genoflow kmeans</c> end to end: PCA scores of a simulated cohort, K ranges and bad tables.</summary>
public sealed class KMeansCommandTests
{
    /// <summary>Adjusted Rand index of two label columns (scikit-learn's).</summary>
    internal static async Task<double> AdjustedRandIndexAsync(string truthFile, string truthColumn, string assignments)
    {
        string script = "import csv, sys\nfrom sklearn.metrics import adjusted_rand_score\n"
            + "truth = {r['sample_id']: r[sys.argv[2]] for r in csv.DictReader(open(sys.argv[1]), delimiter='\\t')}\n"
            + "rows = list(csv.DictReader(open(sys.argv[3]), delimiter='\\t'))\n"
            + "print(repr(adjusted_rand_score([truth[r['sample_id']] for r in rows], [r['cluster'] for r in rows])))";
        string output = await ExternalTool.RunAsync("python3", "-c", script, truthFile, truthColumn, assignments);
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Gaussian blobs as a TSV (sample_id, population, x1..xD), written by numpy.</summary>
    internal static Task WriteBlobsAsync(string path, int rows, int k, int dimensions, int seed) =>
        ExternalTool.RunAsync("python3", "-c",
            "import sys, numpy as np\nn, k, d, seed = map(int, sys.argv[2:6])\nrng = np.random.default_rng(seed)\nc = rng.normal(0, 8, (k, d))\nlab = rng.integers(0, k, n)\nX = c[lab] + rng.normal(0, 1, (n, d))\n"
            + "with open(sys.argv[1], 'w') as f:\n    f.write('sample_id\\tpopulation\\t' + '\\t'.join(f'x{j + 1}' for j in range(d)) + '\\n')\n"
            + "    for i in range(n):\n        f.write(f's{i}\\tpop{lab[i]}\\t' + '\\t'.join(repr(float(v)) for v in X[i]) + '\\n')",
            path, rows.ToString(CultureInfo.InvariantCulture), k.ToString(CultureInfo.InvariantCulture), dimensions.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public async Task Pca_scores_of_a_simulated_cohort_cluster_into_its_populations()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "600", "--variants", "2000", "--populations", "3", "--seed", "12");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"]);
        await GenoFlowProcess.RunOkAsync("pca", dir["ds"], "-k", "4", "--out", dir["pca"]);

        GenoFlowProcess.Result run = await GenoFlowProcess.RunOkAsync("kmeans", "--input", dir["pca/scores.tsv"], "--k", "3", "--out", dir["km"], "--seed", "3", "--rows-per-shard", "128");

        double ari = await AdjustedRandIndexAsync(dir["sim/phenotypes.tsv"], "population", dir["km/assignments.tsv"]);
        Assert.True(ari >= 0.95, $"adjusted Rand index {ari} against the simulated populations\n{run}");
        string[] centroids = await File.ReadAllLinesAsync(dir["km/centroids.tsv"]);
        Assert.Equal("cluster\tPC1\tPC2\tPC3\tPC4", centroids[0]);
        Assert.Equal(4, centroids.Length);
        string[] assignments = await File.ReadAllLinesAsync(dir["km/assignments.tsv"]);
        Assert.Equal("sample_id\tcluster\tdistance", assignments[0]);
        Assert.Equal(601, assignments.Length);
        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(dir["km/summary.json"]));
        JsonElement root = summary.RootElement;
        Assert.Equal(3, root.GetProperty("k").GetInt32());
        Assert.Equal(3, root.GetProperty("restarts").GetInt32());
        Assert.Equal(3UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(5, root.GetProperty("shards").GetInt32());
        Assert.True(root.GetProperty("steps").GetInt64() >= 1);
        Assert.Equal(root.GetProperty("steps").GetInt64(), root.GetProperty("convergence").GetArrayLength());
        // inertia = the sum of the squared distances in assignments.tsv
        double fromAssignments = assignments.Skip(1).Sum(l => Math.Pow(double.Parse(l.Split('\t')[2], CultureInfo.InvariantCulture), 2));
        Assert.Equal(fromAssignments, root.GetProperty("inertia").GetDouble(), 1e-9 * fromAssignments);
        Assert.Contains("shards per node:", run.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    [Fact]
    public async Task A_k_range_reports_inertia_and_silhouette_per_k_and_the_true_k_has_the_best_silhouette()
    {
        using var dir = new TempDirectory();
        await WriteBlobsAsync(dir["blobs.tsv"], 1500, 4, 3, 5);

        GenoFlowProcess.Result run = await GenoFlowProcess.RunOkAsync("kmeans", "--input", dir["blobs.tsv"], "--columns", "x1,x2,x3", "--k-range", "2..6", "--out", dir["km"], "--standardize");

        string[] table = await File.ReadAllLinesAsync(dir["km/k-range.tsv"]);
        Assert.Equal("k\tinertia\tsilhouette\tsteps", table[0]);
        double[][] rows = table.Skip(1).Select(l => l.Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal([2.0, 3, 4, 5, 6], rows.Select(r => r[0]));
        Assert.Equal(4, rows.MaxBy(r => r[2])![0]);
        Assert.True(rows[2][1] < rows[0][1], "inertia falls with K");
        foreach (int k in new[] { 2, 6 })
        {
            Assert.Equal(k + 1, (await File.ReadAllLinesAsync(dir[$"km/k{k}/centroids.tsv"])).Length);
        }
        Assert.Contains("k\tinertia\tsilhouette\tsteps", run.StdOut, StringComparison.Ordinal);
        Assert.True(await AdjustedRandIndexAsync(dir["blobs.tsv"], "population", dir["km/k4/assignments.tsv"]) >= 0.95);
    }

    [Theory]
    [InlineData("unknown-column", "no feature column 'x9'")]
    [InlineData("text", "line 4, column 4: feature column 'x2' must be numeric; found 'abc'")]
    [InlineData("nan", "line 3, column 3: feature column 'x1' has no value here")]
    [InlineData("empty", "line 2, column 5: feature column 'x3' has no value here")]
    [InlineData("k-too-large", "--k 40 is larger than the 30 rows")]
    public async Task A_bad_table_or_k_fails_cleanly_naming_the_problem(string problem, string message)
    {
        using var dir = new TempDirectory();
        var lines = new List<string> { "sample_id\tpopulation\tx1\tx2\tx3" };
        lines.AddRange(Enumerable.Range(0, 30).Select(i => $"s{i}\tp\t{i}\t{i % 7}.5\t-{i}"));
        switch (problem)
        {
            case "text":
                lines[3] = "s2\tp\t2\tabc\t-2";
                break;
            case "nan":
                lines[2] = "s1\tp\tnan\t1\t-1";
                break;
            case "empty":
                lines[1] = "s0\tp\t0\t0\t";
                break;
        }
        await File.WriteAllLinesAsync(dir["table.tsv"], lines);
        string k = problem == "k-too-large" ? "40" : "2";
        string columns = problem == "unknown-column" ? "x1,x9" : "x1,x2,x3";

        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["kmeans", "--input", dir["table.tsv"], "--columns", columns, "--k", k, "--out", dir["km"]]);

        BadInputTests.AssertCleanFailure(result, "table.tsv", message);
        Assert.False(Directory.Exists(dir["km"]), "a failed run must leave no output");
        Assert.Single(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
