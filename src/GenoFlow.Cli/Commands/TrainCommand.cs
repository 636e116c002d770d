using System.CommandLine;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Training;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Commands;

/// <summary><c>genoflow train</c>: a regularised linear or logistic model over sample shards, by parameter averaging or exact ridge.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "GenoFlow dataset directory" };
        var phenotypes = new Option<FileInfo>("--phenotypes") { Description = "Sample table with a header (sample_id first), e.g. simulate's phenotypes.tsv", Required = true };
        var target = new Option<string>("--target") { Description = "Column of --phenotypes to predict (0/1 for --model logistic)", Required = true };
        var model = new Option<string>("--model") { Description = "linear (squared error) or logistic (log-loss)", Required = true };
        model.AcceptOnlyFromAmong("linear", "logistic");
        var output = new Option<string>("--out") { Description = "Output directory: model.json, predictions.tsv, metrics.json", Required = true };
        var covariates = new Option<string?>("--covariates") { Description = "Comma-separated columns of --phenotypes used as features besides the genotypes" };
        var pcs = new Option<string?>("--pcs") { Description = "A `genoflow pca` (or `project`) output directory: its scores.tsv PCs are features too" };
        var keepQc = new Option<string?>("--keep-qc") { Description = "Use only the variants and samples a `genoflow qc` run kept (its --out directory)" };
        var extract = new Option<FileInfo?>("--extract") { Description = "Use only the variants whose IDs this file lists (one per line)" };
        var l1 = new Option<double?>("--l1") { Description = "L1 strength: objective (1/n) Σ loss + l1·‖w‖₁ + (l2/2)·‖w‖² on standardised features" };
        var l2 = new Option<double?>("--l2") { Description = "L2 strength (see --l1). With neither, l2 is chosen by cross-validation over 10^-3..10^2" };
        var testSamples = new Option<FileInfo?>("--test-samples") { Description = "Hold out the samples this file lists (one id per line) as the test set" };
        var testFraction = new Option<double?>("--test-fraction") { Description = "Hold out this fraction of samples (by a seeded hash of the sample id; default 0.2)" };
        var rounds = new Option<int>("--rounds") { Description = "Round limit of --aggregate average", DefaultValueFactory = _ => new TrainingSettings(TrainingModel.Linear).Rounds };
        var localEpochs = new Option<int>("--local-epochs") { Description = "Local proximal-gradient epochs per shard and round (1: every round is an exact full-batch step)", DefaultValueFactory = _ => 1 };
        var aggregate = new Option<string>("--aggregate") { Description = "auto (exact when it applies: a linear model, no --l1, at most 4,096 features, no --select-top, --search both or --warm-start; average otherwise), average (parameter averaging, any model) or exact (Σ XᵀX and Xᵀy, linear + L2 only)", DefaultValueFactory = _ => "auto" };
        aggregate.AcceptOnlyFromAmong("auto", "average", "exact");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the test split, the cross-validation folds and the step-size estimate", DefaultValueFactory = _ => 1UL };
        var tolerance = new Option<double>("--tolerance") { Description = "Stop when the parameters change by less than this, relatively, in a round", DefaultValueFactory = _ => new TrainingSettings(TrainingModel.Linear).Tolerance };
        var rowsPerShard = new Option<int>("--rows-per-shard") { Description = "Samples per sample shard (the unit of work)", DefaultValueFactory = _ => TrainingData.DefaultRowsPerShard };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds of samples (by a seeded hash of the sample id, stratified by class for logistic)", DefaultValueFactory = _ => TrainingSettings.DefaultFolds };
        var cv = new Option<string?>("--cv") { Description = "How l2 is cross-validated when neither --l1 nor --l2 is given: kfold (--folds folds of samples), gcv (generalised cross-validation from the Gram sums; exact aggregation) or loo (exact leave-one-out, as scikit-learn's RidgeCV, in one more pass; exact aggregation); default gcv when the aggregation is exact, kfold when average" };
        cv.AcceptOnlyFromAmong("kfold", "gcv", "loo");
        var search = new Option<string>("--search") { Description = "Penalties chosen by cross-validation when neither --l1 nor --l2 is given: l2, or both (l2, then l1 at that l2; --aggregate average)", DefaultValueFactory = _ => "l2" };
        search.AcceptOnlyFromAmong("l2", "both");
        var cvScore = new Option<string?>("--cv-score") { Description = "What cross-validation ranks penalties by: loss (mean validation loss) or, logistic only, auc (mean fold ROC AUC, as scikit-learn's scoring='roc_auc'); default auc for logistic, loss for linear models" };
        cvScore.AcceptOnlyFromAmong("loss", "auc");
        var classWeight = new Option<string?>("--class-weight") { Description = "Logistic models: balanced (n / (2·n_class), as scikit-learn), none (default) or W1, the weight of class 1's rows (class 0: 1)" };
        var stratify = new Option<bool>("--stratify") { Description = "Draw --test-fraction per class (logistic models); cross-validation folds are always stratified" };
        var causal = new Option<FileInfo?>("--causal") { Description = "A simulation's causal_variants.tsv: report precision/recall at k of the causal variants among the top weights" };
        var features = new Option<string[]>("--features") { Description = "TABLE[:COL,...] (repeatable): per-sample feature table (TSV or Parquet with sample_id; e.g. omics), its numeric columns or those named, as features" };
        var selectTop = new Option<int?>("--select-top") { Description = "Fit only the K variants most associated with the target on the training rows (screened again inside each cross-validation fold); covariates, PCs and --features are kept" };
        var warmStart = new Option<string?>("--warm-start") { Description = "A previous `genoflow train` output (e.g. the previous release's): the averaging fit starts from its weights (matched by feature name) and needs fewer rounds to the same optimum" };
        var command = new Command("train", "Train a regularised linear or logistic model on genotypes + covariates (+ PCs) over sample shards")
        {
            dataset, phenotypes, target, model, output, covariates, pcs, keepQc, extract, l1, l2, testSamples, testFraction, rounds, localEpochs, aggregate, seed, tolerance,
            rowsPerShard, folds, cv, search, cvScore, classWeight, stratify, causal, features, selectTop, warmStart,
        };
        JobExecution.AddOptions(command);
        command.SetWork(async (parse, cancellationToken) =>
        {
            var settings = TrainingSettings.Of(parse.GetValue(model) == "logistic" ? TrainingModel.Logistic : TrainingModel.Linear,
                TrainingSettings.AggregationNamed(parse.GetValue(aggregate)), parse.GetValue(l1), parse.GetValue(l2),
                parse.GetValue(rounds), parse.GetValue(localEpochs), parse.GetValue(tolerance), parse.GetValue(seed), parse.GetValue(folds), parse.GetValue(classWeight), parse.GetValue(selectTop), parse.GetValue(cv), parse.GetValue(search), parse.GetValue(cvScore));
            settings.Validate();
            TestSplit split = Split(parse.GetValue(testSamples), parse.GetValue(testFraction), settings.Seed, parse.GetValue(stratify));
            using Dataset opened = Dataset.Open(parse.GetValue(dataset)!);
            DatasetSelection selection = SelectionOptions.Load(opened, parse.GetValue(keepQc), parse.GetValue(extract));
            SampleTable table = SampleTable.Read(parse.GetValue(phenotypes)!.FullName);
            string? pcaDirectory = parse.GetValue(pcs);
            SampleTable? scores = pcaDirectory is null ? null : SampleTable.Read(Path.Join(pcaDirectory, PcaOutput.ScoresFile));
            string[] covariateNames = [.. (parse.GetValue(covariates) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            var request = new TrainStage.Request(opened, table, parse.GetValue(target)!, covariateNames, scores, pcaDirectory is null ? null : Path.GetFullPath(pcaDirectory),
                settings, split, selection, parse.GetValue(rowsPerShard), parse.GetValue(causal)?.FullName, [.. (parse.GetValue(features) ?? []).Select(FeatureTable.Parse)],
                parse.GetValue(warmStart) is { } previous ? ModelFile.Load(previous) : null, parse.GetValue(warmStart) is not null);
            await StageCommand.RunAsync(parse, "train", parse.GetValue(output)!, context => TrainStage.RunAsync(context, request), TrainStage.Report, cancellationToken, TrainStage.Warning);
            return CommandRunner.Ok;
        });
        return command;
    }

    private static TestSplit Split(FileInfo? samples, double? fraction, ulong seed, bool stratify)
    {
        if (samples is not null && fraction is not null)
        {
            throw new CliUsageException("give --test-samples or --test-fraction, not both");
        }
        return TestSplit.Of(samples?.FullName, fraction, seed, stratify);
    }
}
