using GenoFlow.Analysis.Output;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Ld;

/// <summary>Writes DIR/prune.in and DIR/prune.out (variant ids, one a line, dataset order) published by <see cref="OutputDirectory"/>.</summary>
public static class LdPruneOutput
{
    public const string InFileName = "prune.in";
    public const string OutFileName = "prune.out";

    public static void Write(LdPruneResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(result, ReadIds(result.Dataset, result.Variants), directory);
    }

    /// <summary>As <see cref="Write(LdPruneResult, string)"/> with the ids of the result's variants already read (<see cref="ReadIds"/>).</summary>
    public static void Write(LdPruneResult result, IReadOnlyList<string> ids, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count != result.Variants.Length)
        {
            throw new ArgumentException($"{ids.Count} ids for {result.Variants.Length} variants", nameof(ids));
        }
        OutputDirectory.Publish(directory, staging =>
        {
            using StreamWriter kept = TextTable.Create(Path.Join(staging, InFileName));
            using StreamWriter removed = TextTable.Create(Path.Join(staging, OutFileName));
            for (int k = 0; k < ids.Count; k++)
            {
                (result.Removed[k] ? removed : kept).WriteLine(ids[k]);
            }
        });
    }

    /// <summary>The ids of <paramref name="variants"/> (dataset indices, increasing), in that order.</summary>
    public static string[] ReadIds(Dataset dataset, long[] variants)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(variants);
        return SelectedVariants.Read(dataset, variants, v => v.Id);
    }
}
