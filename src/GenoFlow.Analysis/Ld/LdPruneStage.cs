using GenoFlow.Analysis.Stages;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Ld;

/// <summary>The LD-pruning stage: <see cref="LdPrune"/> over the selected variants and samples, prune.in / prune.out published.</summary>
public static class LdPruneStage
{
    /// <param name="Selection">Only these variants take part and only these samples count (e.g. what passed QC).</param>
    public sealed record Request(Dataset Dataset, LdPruneSettings Settings, DatasetSelection Selection);

    /// <param name="Kept">The selection the stages after this one use: the request's, keeping only the variants not pruned.</param>
    public sealed record Result(LdPruneResult Prune, DatasetSelection Kept);

    public static async Task<Result> RunAsync(StageContext context, Request request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        request.Settings.Validate();
        // prune.in's ids are read beside the job: until its first tile runs only one core is busy (runtime start and
        // JIT), and read after it they were 50 ms at one core (20,000 x 50,000).
        long[] variants = request.Selection.VariantIndices(request.Dataset.VariantCount);
        Task<string[]> ids = Task.Run(() => LdPruneOutput.ReadIds(request.Dataset, variants), context.CancellationToken);
        LdPruneResult prune = await LdPrune.RunAsync(context.Executor, request.Dataset, request.Settings, request.Selection, context.Progress, context.CancellationToken)
            .ConfigureAwait(false);
        LdPruneOutput.Write(prune, await ids.ConfigureAwait(false), context.OutputDirectory);
        var kept = new bool[request.Dataset.VariantCount];
        for (int k = 0; k < prune.Variants.Length; k++)
        {
            kept[prune.Variants[k]] = !prune.Removed[k];
        }
        return new Result(prune, request.Selection with { Variants = kept });
    }

    public static IEnumerable<string> Report(Result result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        LdPruneResult prune = result.Prune;
        yield return $"ld-prune: kept {prune.Kept:N0}, removed {prune.RemovedCount:N0} of {prune.Variants.Length:N0} variants ({prune.Settings}); lists in {directory}";
    }
}
