using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Ld;

/// <summary>One field of some of a dataset's variants, read in one pass over its variants table.</summary>
internal static class SelectedVariants
{
    /// <summary><paramref name="field"/> of each of <paramref name="variants"/> (dataset indices, increasing), in that order.</summary>
    public static T[] Read<T>(Dataset dataset, long[] variants, Func<VariantInfo, T> field)
    {
        var values = new T[variants.Length];
        int k = 0;
        long index = 0;
        foreach (VariantInfo variant in dataset.ReadVariants())
        {
            if (k < variants.Length && variants[k] == index)
            {
                values[k++] = field(variant);
            }
            index++;
        }
        return values;
    }
}
