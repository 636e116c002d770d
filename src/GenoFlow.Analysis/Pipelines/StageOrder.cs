namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// Orders stages so each runs after the stages it uses. Among stages ready at the same time the one first in the file
/// goes first, so the order is the file's own wherever the file already respects the dependencies.
/// </summary>
internal static class StageOrder
{
    /// <summary>A use of one stage by another: <paramref name="Key"/> of the user names <paramref name="Target"/>.</summary>
    public readonly record struct Use(string Key, string Target, SourceMark Mark);

    /// <param name="uses">The stage-to-stage references of each stage (references to inputs left out).</param>
    public static List<PipelineStage> Sort(PipelineErrors errors, IReadOnlyList<PipelineStage> stages, Func<PipelineStage, IReadOnlyList<Use>> uses)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = stages.ToList();
        var result = new List<PipelineStage>(stages.Count);
        while (remaining.Count > 0)
        {
            int ready = remaining.FindIndex(s => uses(s).All(u => placed.Contains(u.Target)));
            if (ready < 0)
            {
                throw Cycle(errors, remaining, uses);
            }
            placed.Add(remaining[ready].Name);
            result.Add(remaining[ready]);
            remaining.RemoveAt(ready);
        }
        return result;
    }

    /// <summary>
    /// When no stage is ready, every remaining stage uses another remaining one, so walking such uses must come back to
    /// a stage already seen: that loop is the cycle. It is reported at the use written by its first stage in the file.
    /// </summary>
    private static Core.GenoFlowFormatException Cycle(PipelineErrors errors, List<PipelineStage> remaining, Func<PipelineStage, IReadOnlyList<Use>> uses)
    {
        var byName = remaining.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var path = new List<(PipelineStage Stage, Use Use)>();
        PipelineStage current = remaining[0];
        while (!path.Exists(p => p.Stage == current))
        {
            Use next = uses(current).First(u => byName.ContainsKey(u.Target));
            path.Add((current, next));
            current = byName[next.Target];
        }
        var cycle = path.SkipWhile(p => p.Stage != current).ToList();
        int start = cycle.FindIndex(p => p.Stage == cycle.MinBy(c => remaining.IndexOf(c.Stage)).Stage);
        cycle = [.. cycle.Skip(start), .. cycle.Take(start)];
        if (cycle.Count == 1)
        {
            return errors.At(cycle[0].Use.Mark, $"stage '{cycle[0].Stage.Name}' uses itself through {cycle[0].Use.Key}; a stage can only use other stages");
        }
        string loop = string.Join(" -> ", cycle.Select(c => c.Stage.Name).Append(cycle[0].Stage.Name));
        string how = string.Join(", ", cycle.Select(c => $"{c.Stage.Name} uses {c.Use.Target} through {c.Use.Key}"));
        return errors.At(cycle[0].Use.Mark, $"stages form a cycle: {loop} ({how}); a stage can only use stages that do not use it");
    }
}
