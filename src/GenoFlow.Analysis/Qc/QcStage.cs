using GenoFlow.Analysis.Stages;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Qc;

/// <summary>The QC stage: counts, HWE and filters (<see cref="QualityControl"/>), its tables and keep lists published.</summary>
public static class QcStage
{
    public sealed record Request(Dataset Dataset, QcThresholds Thresholds, QcFormat Format = QcFormat.Tsv);

    /// <param name="Selection">The variants and samples that passed, for the stages after this one.</param>
    public sealed record Result(QcResult Qc, DatasetSelection Selection);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        request.Thresholds.Validate();
        QcResult qc = await QualityControl.RunAsync(context.Executor, request.Dataset, request.Thresholds, context.Progress, context.CancellationToken).ConfigureAwait(false);
        QcOutput.Write(qc, context.OutputDirectory, request.Format);
        return new Result(qc, DatasetSelection.Passing(qc));
    }

    public static IEnumerable<string> Report(Result result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        QcSummary summary = result.Qc.Summary;
        QcThresholds thresholds = result.Qc.Thresholds;
        yield return $"samples:  {summary.SamplesPassing:N0} of {summary.Samples:N0} pass{Filter(thresholds.SampleMaxMissing, $"; {summary.SamplesFailingMissing:N0} fail sample-max-missing {thresholds.SampleMaxMissing}")}";
        yield return $"variants: {summary.VariantsPassing:N0} of {summary.Variants:N0} pass"
            + Filter(thresholds.Maf, $"; {summary.VariantsFailingMaf:N0} fail maf {thresholds.Maf}")
            + Filter(thresholds.MaxMissing, $"; {summary.VariantsFailingMissing:N0} fail max-missing {thresholds.MaxMissing}")
            + Filter(thresholds.Hwe, $"; {summary.VariantsFailingHwe:N0} fail hwe {thresholds.Hwe}");
        yield return $"tables and keep lists in {directory}";
    }

    private static string Filter(double? threshold, string text) => threshold is null ? "" : text;
}
