using GenoFlow.Analysis.Output;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Ld;

/// <summary>Writes DIR/prune.in and DIR/prune.out (variant ids, one a line, dataset order) published by <see cref="OutputDirectory"/>.</summary>
public static class LdPruneOutput
{
    public const string InFileName = "prune.in";
    public const string OutFileName = "prune.out";

    public static void Write(LdPruneResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        OutputDirectory.Publish(directory, staging =>
        {
            using StreamWriter kept = TextTable.Create(Path.Join(staging, InFileName));
            using StreamWriter removed = TextTable.Create(Path.Join(staging, OutFileName));
            int k = 0;
            long index = 0;
            foreach (VariantInfo variant in result.Dataset.ReadVariants())
            {
                if (k < result.Variants.Length && result.Variants[k] == index)
                {
                    (result.Removed[k] ? removed : kept).WriteLine(variant.Id);
                    k++;
                }
                index++;
            }
        });
    }
}
