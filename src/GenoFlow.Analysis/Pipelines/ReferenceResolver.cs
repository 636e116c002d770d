namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Resolves the names stages use, after every entry has been read on its own: first that each name exists, then that
/// the stages form no cycle, then, in file order, that each name is of a kind the parameter accepts and that a
/// <c>keep</c>/<c>variants</c> selection was computed on the stage's own dataset. Cycles are looked for before kinds
/// because the kinds alone (qc before ld-prune before pca ...) already forbid every cycle: checked later, a cycle would
/// only ever be reported as a wrong kind, which hides what is going on.
/// </summary>
internal static class ReferenceResolver
{
    /// <returns>The stages in run order, their reference values replaced by <see cref="PipelineReference"/>s.</returns>
    public static List<PipelineStage> Resolve(PipelineErrors errors, IReadOnlyList<PipelineInput> inputs, IReadOnlyList<PipelineStage> stages)
    {
        var entries = new Dictionary<string, PipelineEntry>(StringComparer.Ordinal);
        foreach (PipelineEntry entry in inputs.Cast<PipelineEntry>().Concat(stages))
        {
            entries[entry.Name] = entry;
        }
        foreach (PipelineStage stage in stages)
        {
            foreach (PipelineValue value in ReferenceValues(stage))
            {
                string target = TargetOf(value);
                if (!entries.ContainsKey(target))
                {
                    throw errors.At(value.Mark, $"{value.Key} names '{target}', which is neither an input nor a stage{PipelineErrors.DidYouMean(target, entries.Keys)}");
                }
            }
        }
        List<PipelineStage> ordered = StageOrder.Sort(errors, stages, stage => ReferenceValues(stage)
            .Where(v => entries[TargetOf(v)] is PipelineStage)
            .Select(v => new StageOrder.Use(v.Key, TargetOf(v), v.Mark))
            .ToArray());
        foreach (PipelineStage stage in stages)
        {
            StageSchema schema = PipelineSchema.FindStage(stage.Kind)!;
            foreach (PipelineValue value in ReferenceValues(stage))
            {
                stage.Replace(value with { Value = Check(errors, stage, schema.Find(value.Key)!, value, entries) });
            }
        }
        return ordered;
    }

    private static PipelineReference Check(PipelineErrors errors, PipelineStage stage, ParameterSpec spec, PipelineValue value, Dictionary<string, PipelineEntry> entries)
    {
        string target = TargetOf(value);
        PipelineEntry entry = entries[target];
        (string kind, IReadOnlyList<PipelineProduct> provides, string what) = entry switch
        {
            PipelineInput input => (input.Source, input.Provides, $"{input.Source} input"),
            PipelineStage other => (other.Kind, other.Provides, $"{other.Kind} stage"),
            _ => throw new UnreachableException(),
        };
        int accepted = spec.Accepts!.ToList().FindIndex(provides.Contains);
        if (accepted < 0)
        {
            throw errors.At(value.Mark, $"{value.Key} must name {spec.Expects}; '{target}' is {Article(what)} {what}");
        }
        if (spec.SameDataset && entry is PipelineStage used)
        {
            string? own = DatasetOf(stage);
            string? theirs = DatasetOf(used);
            if (own != theirs)
            {
                throw errors.At(value.Mark, $"{value.Key} must name {spec.Expects} computed on this stage's dataset '{own}'; '{target}' was computed on '{theirs}'");
            }
        }
        return new PipelineReference(value.Key, target, entry is PipelineInput, kind, spec.Accepts![accepted], value.Mark);
    }

    private static PipelineValue[] ReferenceValues(PipelineStage stage) =>
        stage.Values.Where(v => v.Type == PipelineValueType.Reference).ToArray();

    /// <summary>A reference value holds the name as written until it is resolved.</summary>
    private static string TargetOf(PipelineValue value) => value.Value switch
    {
        string name => name,
        PipelineReference reference => reference.Target,
        _ => throw new UnreachableException(),
    };

    private static string? DatasetOf(PipelineStage stage) =>
        stage.Values.FirstOrDefault(v => v.Key == "dataset") is { } value ? TargetOf(value) : null;

    private static string Article(string word) => word.StartsWith("ld-", StringComparison.Ordinal) || "aeiou".Contains(word[0]) ? "an" : "a";
}
