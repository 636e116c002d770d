namespace GenoFlow.Cli.Tests;

public class TrainCommandTests
{
    /// <summary>A small cohort with a phenotype table; returns the directory.</summary>
    private static async Task<TempDirectory> CohortAsync()
    {
        var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "600", "--variants", "400", "--populations", "2", "--causal-variants", "20", "--heritability", "0.6", "--seed", "9");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");
        return dir;
    }

    [Fact]
    public async Task Train_writes_model_predictions_and_metrics_and_predict_reproduces_the_predictions()
    {
        using TempDirectory dir = await CohortAsync();
        GenoFlowProcess.Result train = await GenoFlowProcess.RunOkAsync("train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_q", "--model", "linear",
            "--covariates", "age,sex", "--l2", "0.5", "--test-fraction", "0.25", "--rows-per-shard", "100", "--out", dir["model"]);
        Assert.Contains("linear model of 'trait_q' on", train.StdOut, StringComparison.Ordinal);
        // --aggregate auto (the default) takes exact ridge for a linear model with an L2 penalty only, and says why.
        Assert.Contains("aggregation: exact (auto: a linear model with an L2 penalty only and 402 features (exact's limit 4,096))", train.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"test\tR² 0\.\d{4}", train.StdOut);
        Assert.Equal(["feature_importance.tsv", "metrics.json", "model.json", "predictions.tsv", "top_features.tsv"],
            Directory.GetFiles(dir["model"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string[] predictions = await File.ReadAllLinesAsync(dir["model/predictions.tsv"]);
        Assert.Equal("sample_id\tprediction\tsplit", predictions[0]);
        Assert.Equal(601, predictions.Length);
        int test = predictions.Count(l => l.EndsWith("\ttest", StringComparison.Ordinal));
        Assert.InRange(test, 110, 190);
        string model = await File.ReadAllTextAsync(dir["model/model.json"]);
        Assert.Contains("\"key\": \"1:", model, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"age\"", model, StringComparison.Ordinal);
        Assert.Contains("\"aggregate\": \"exact\"", model, StringComparison.Ordinal);
        Assert.Contains("\"aggregate_reason\": \"auto: a linear model", model, StringComparison.Ordinal);
        string metrics = await File.ReadAllTextAsync(dir["model/metrics.json"]);
        Assert.Contains("\"history\"", metrics, StringComparison.Ordinal);
        Assert.Contains("\"r2\"", metrics, StringComparison.Ordinal);
        Assert.Contains("\"aggregate_reason\": \"auto: a linear model", metrics, StringComparison.Ordinal);

        GenoFlowProcess.Result predict = await GenoFlowProcess.RunOkAsync("predict", "--model", dir["model"], "--dataset", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--out", dir["pred"]);
        Assert.Contains("400 of the model's 400 variants found", predict.StdOut, StringComparison.Ordinal);
        string[] again = await File.ReadAllLinesAsync(dir["pred/predictions.tsv"]);
        Assert.Equal("sample_id\tprediction", again[0]);
        Assert.Equal(predictions.Skip(1).Select(l => string.Join('\t', l.Split('\t')[..2])), again.Skip(1));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));

        // A model with covariates cannot score without them.
        GenoFlowProcess.Result missing = await GenoFlowProcess.RunAsync(["predict", "--model", dir["model"], "--dataset", dir["ds"], "--out", dir["pred2"]]);
        BadInputTests.AssertCleanFailure(missing, "covariates (age, sex)", "--phenotypes");
        Assert.False(Directory.Exists(dir["pred2"]));
    }

    [Fact]
    public async Task Exact_logistic_and_cross_validated_runs_report_what_they_did()
    {
        using TempDirectory dir = await CohortAsync();
        GenoFlowProcess.Result exact = await GenoFlowProcess.RunOkAsync("train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_q", "--model", "linear",
            "--aggregate", "exact", "--cv", "kfold", "--rows-per-shard", "100", "--out", dir["exact"]);
        Assert.Contains("(l2 chosen by 5-fold cross-validation)", exact.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"cross_validation\"", await File.ReadAllTextAsync(dir["exact/model.json"]), StringComparison.Ordinal);
        // Generalised cross-validation is exact ridge's default.
        GenoFlowProcess.Result gcv = await GenoFlowProcess.RunOkAsync("train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_q", "--model", "linear",
            "--aggregate", "exact", "--rows-per-shard", "100", "--out", dir["gcv"]);
        Assert.Contains("(l2 chosen by generalised cross-validation)", gcv.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"method\": \"gcv\"", await File.ReadAllTextAsync(dir["gcv/model.json"]), StringComparison.Ordinal);

        GenoFlowProcess.Result logistic = await GenoFlowProcess.RunOkAsync("train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_b", "--model", "logistic",
            "--l1", "0.002", "--l2", "0.01", "--rows-per-shard", "150", "--out", dir["logistic"]);
        Assert.Matches(@"test\tAUC 0\.\d{4}\tlog-loss \d\.\d{4}\taccuracy 0\.\d{4}", logistic.StdOut);
        Assert.Contains("aggregation: average (auto: exact ridge cannot take a logistic model)", logistic.StdOut, StringComparison.Ordinal);
        string metrics = await File.ReadAllTextAsync(dir["logistic/metrics.json"]);
        Assert.Contains("\"auc\"", metrics, StringComparison.Ordinal);
        Assert.Contains("\"log_loss\"", metrics, StringComparison.Ordinal);

        GenoFlowProcess.Result refused = await GenoFlowProcess.RunAsync(["train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_b", "--model", "logistic",
            "--aggregate", "exact", "--l2", "1", "--out", dir["refused"]]);
        BadInputTests.AssertCleanFailure(refused, "--aggregate exact", "a linear model");
        Assert.False(Directory.Exists(dir["refused"]));
    }

    [Fact]
    public async Task Omics_features_class_weights_screening_and_causal_recovery_from_the_command_line()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "600", "--variants", "300", "--populations", "2", "--causal-variants", "15",
            "--heritability", "0.6", "--prevalence", "0.1", "--omics", "9", "--seed", "4");
        string[] omics = await File.ReadAllLinesAsync(dir["sim/omics.tsv"]);
        Assert.Equal("sample_id\tomics_1\tomics_2\tomics_3\tomics_4\tomics_5\tomics_6\tomics_7\tomics_8\tomics_9", omics[0]);
        Assert.Equal(601, omics.Length);
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "128", "--samples-per-tile", "128");

        GenoFlowProcess.Result train = await GenoFlowProcess.RunOkAsync("train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_b", "--model", "logistic",
            "--covariates", "age", "--features", dir["sim/omics.tsv"], "--class-weight", "balanced", "--stratify", "--select-top", "30", "--causal", dir["sim/causal_variants.tsv"],
            "--rows-per-shard", "100", "--rounds", "100", "--out", dir["model"]);
        Assert.Contains("features from ", train.StdOut, StringComparison.Ordinal);
        Assert.Contains("9 columns; 0 samples absent", train.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"test\tat Youden threshold 0\.\d{4}: accuracy", train.StdOut);
        Assert.Matches(@"cv \(5 folds, mean ± sd\)\tauc 0\.\d{4} ± 0\.\d{4}", train.StdOut);
        Assert.Contains("causal variants in the top 15 by |weight|", train.StdOut, StringComparison.Ordinal);
        string model = await File.ReadAllTextAsync(dir["model/model.json"]);
        Assert.Contains("\"class_weight\": \"balanced\"", model, StringComparison.Ordinal);
        Assert.Contains("\"select_top\": 30", model, StringComparison.Ordinal);
        Assert.Contains("\"youden_threshold\"", model, StringComparison.Ordinal);
        string metrics = await File.ReadAllTextAsync(dir["model/metrics.json"]);
        foreach (string key in new[] { "\"pr_auc\"", "\"f1\"", "\"confusion\"", "\"youden\"", "\"fold_metrics\"", "\"fold_summary\"", "\"causal_recovery\"", "\"feature_tables\"" })
        {
            Assert.Contains(key, metrics, StringComparison.Ordinal);
        }
        string[] importance = await File.ReadAllLinesAsync(dir["model/feature_importance.tsv"]);
        Assert.Contains(importance, l => l.StartsWith("omics_2\tfeature\t1\tauc\t", StringComparison.Ordinal));

        GenoFlowProcess.Result predict = await GenoFlowProcess.RunOkAsync("predict", "--model", dir["model"], "--dataset", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"],
            "--features", dir["sim/omics.tsv"], "--out", dir["pred"]);
        Assert.Matches(@"at Youden threshold 0\.\d{4}: accuracy", predict.StdOut);
        Assert.Contains("\"youden\"", await File.ReadAllTextAsync(dir["pred/metrics.json"]), StringComparison.Ordinal);

        GenoFlowProcess.Result badWeight = await GenoFlowProcess.RunAsync(["train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_b", "--model", "logistic",
            "--class-weight", "heavy", "--l2", "1", "--out", dir["bad"]]);
        BadInputTests.AssertCleanFailure(badWeight, "class-weight", "heavy");
        GenoFlowProcess.Result badTable = await GenoFlowProcess.RunAsync(["train", dir["ds"], "--phenotypes", dir["sim/phenotypes.tsv"], "--target", "trait_q", "--model", "linear",
            "--features", dir["sim/omics.tsv"] + ":omics_77", "--l2", "1", "--out", dir["bad"]]);
        BadInputTests.AssertCleanFailure(badTable, "omics.tsv", "omics_77");
        Assert.False(Directory.Exists(dir["bad"]));
    }

    [Theory]
    [InlineData("unknown-target", "no target column 'height'")]
    [InlineData("unknown-covariate", "no covariate column 'bmi'")]
    [InlineData("non-numeric", "target column 'trait_q' must be numeric; found 'tall'")]
    [InlineData("single-class", "target column 'trait_b' has a single class")]
    [InlineData("no-match", "none of its 3 sample ids is a sample of dataset")]
    public async Task Bad_phenotypes_fail_cleanly_naming_file_and_column(string problem, string message)
    {
        using TempDirectory dir = await CohortAsync();
        string[] lines = await File.ReadAllLinesAsync(dir["sim/phenotypes.tsv"]);
        string phenotypes = dir["pheno.tsv"];
        string target = problem == "single-class" ? "trait_b" : "trait_q";
        string model = problem == "single-class" ? "logistic" : "linear";
        string[] extra = [];
        switch (problem)
        {
            case "unknown-target":
                target = "height";
                await File.WriteAllLinesAsync(phenotypes, lines);
                break;
            case "unknown-covariate":
                extra = ["--covariates", "age,bmi"];
                await File.WriteAllLinesAsync(phenotypes, lines);
                break;
            case "non-numeric":
                await File.WriteAllLinesAsync(phenotypes, lines.Select((l, i) => i == 5 ? string.Join('\t', l.Split('\t').Select((f, c) => c == 2 ? "tall" : f)) : l));
                break;
            case "single-class":
                await File.WriteAllLinesAsync(phenotypes, lines.Select((l, i) => i == 0 ? l : string.Join('\t', l.Split('\t').Select((f, c) => c == 3 ? "1" : f))));
                break;
            default:
                await File.WriteAllLinesAsync(phenotypes, [lines[0], .. lines.Skip(1).Take(3).Select(l => "x" + l)]);
                break;
        }
        GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["train", dir["ds"], "--phenotypes", phenotypes, "--target", target, "--model", model, "--l2", "1", "--out", dir["out"], .. extra]);
        BadInputTests.AssertCleanFailure(result, "pheno.tsv", message);
        if (problem == "non-numeric")
        {
            Assert.Contains("line 6, column 3", result.StdErr, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(dir["out"]));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }
}
