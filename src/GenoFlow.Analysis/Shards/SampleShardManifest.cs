using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// manifest.json of a sample shard set. Rows are split into shards of consecutive rows; each shard is one Parquet file
/// (<c>sample_id</c>, <c>sample_index</c>, then one double column per feature, named <c>f0</c>, <c>f1</c>, …; the
/// feature names are in <see cref="Columns"/>). When <see cref="Genotypes"/> is set, each shard also carries the
/// genotypes of its samples (by <c>sample_index</c>) at the listed variants of a dataset, built on the node that loads
/// the shard from that dataset's tiles.
/// </summary>
public sealed record SampleShardManifest(
    string Format,
    IReadOnlyList<string> Columns,
    long Rows,
    IReadOnlyList<SampleShardFile> Shards,
    ShardGenotypeSource? Genotypes)
{
    public const string CurrentFormat = "genoflow-sample-shards/1";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <param name="FirstRow">Index of the shard's first row in the whole set.</param>
public sealed record SampleShardFile(int Index, long FirstRow, int Rows, string File, long Bytes, string Xxh3);

/// <param name="Dataset">Directory of the dataset the genotypes come from.</param>
/// <param name="ManifestChecksum">The dataset version (its manifest checksum).</param>
/// <param name="VariantsFile">File in the shard set: the selected variant indices, ascending, little-endian int64.</param>
public sealed record ShardGenotypeSource(string Dataset, string ManifestChecksum, string VariantsFile, int VariantCount, long Bytes, string Xxh3);
