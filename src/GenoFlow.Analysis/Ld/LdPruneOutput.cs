using GenoFlow.Core.Genotypes;

namespace GenoFlow.Analysis.Ld;

/// <summary>Writes DIR/prune.in and DIR/prune.out (variant ids, one a line, dataset order) atomically: staging directory, then rename.</summary>
public static class LdPruneOutput
{
    public const string InFileName = "prune.in";
    public const string OutFileName = "prune.out";

    public static void Write(LdPruneResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(target))
        {
            throw new IOException($"{directory} is a file; ld-prune output goes into a directory");
        }
        string parent = Path.GetDirectoryName(target) ?? throw new IOException($"{directory} cannot hold ld-prune output (a filesystem root)");
        Directory.CreateDirectory(parent);
        string staging = Path.Join(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            using (var kept = new StreamWriter(Path.Join(staging, InFileName)) { NewLine = "\n" })
            using (var removed = new StreamWriter(Path.Join(staging, OutFileName)) { NewLine = "\n" })
            {
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
            }
            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
                return;
            }
            File.Move(Path.Join(staging, InFileName), Path.Join(target, InFileName), overwrite: true);
            File.Move(Path.Join(staging, OutFileName), Path.Join(target, OutFileName), overwrite: true);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
