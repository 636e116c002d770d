using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenoFlow.Core.Storage;

/// <summary>The content of manifest.json; its fields are described in <see cref="DatasetLayout"/>.</summary>
public sealed record DatasetManifest(
    int FormatVersion,
    string Release,
    int SampleCount,
    long VariantCount,
    int VariantsPerTile,
    int SamplesPerTile,
    int Generation,
    IReadOnlyList<RegionInfo> Regions,
    int SampleBlockCount,
    IReadOnlyDictionary<string, DataFileInfo> Files,
    IReadOnlyList<ReleaseInfo>? Releases = null,
    string? ManifestXxh3 = null)
{
    /// <summary>The release history, oldest first; a version-1 manifest (no history) is one release.</summary>
    [JsonIgnore]
    public IReadOnlyList<ReleaseInfo> History => Releases ?? [new ReleaseInfo(Release, Generation, SampleCount, VariantCount,
        SampleCount, VariantCount, 0, 0, Regions.Count * SampleBlockCount, Files.Values.Sum(f => f.Bytes))];

    /// <summary>Number of samples in block <paramref name="block"/> (the last block holds the rest).</summary>
    public int BlockSampleCount(int block) => Math.Min(SamplesPerTile, SampleCount - block * SamplesPerTile);

    /// <summary>Serializes with <see cref="ManifestXxh3"/> set to the hash of the content without it.</summary>
    internal byte[] ToSealedJson()
    {
        string hash = DatasetLayout.FormatXxh3(XxHash3.HashToUInt64(ToCanonicalJson(this with { ManifestXxh3 = null })));
        return ToCanonicalJson(this with { ManifestXxh3 = hash });
    }

    private static byte[] ToCanonicalJson(DatasetManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.DatasetManifest);

    /// <summary>
    /// Reads and parses the manifest file <paramref name="file"/> of the dataset at <paramref name="root"/> through the
    /// size-bounded reader (<see cref="BoundedFile"/>): every manifest GenoFlow reads, current or kept, goes through here.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="GenoFlowFormatException">Not a regular file, too large, or not a valid manifest.</exception>
    internal static DatasetManifest ReadFile(string root, string file) =>
        Parse(BoundedFile.ReadAll(root, file, BoundedFile.MaxManifestBytes, "manifest"), file);

    /// <summary>Parses manifest.json and checks its self-checksum and internal consistency.</summary>
    internal static DatasetManifest Parse(ReadOnlySpan<byte> json, string file)
    {
        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.DatasetManifest);
        }
        catch (JsonException e)
        {
            // The JSON reader may quote the offending text, newlines and all: keep its first line (one line per error).
            string reason = e.Message.Split('\n', 2)[0].TrimEnd('\r');
            throw new GenoFlowFormatException(file, $"not a valid manifest ({reason}{(e.LineNumber is { } line ? $"; JSON line {line + 1}" : "")}); the dataset is damaged", inner: e);
        }
        if (manifest is null)
        {
            throw new GenoFlowFormatException(file, "empty manifest (JSON null); the dataset is damaged");
        }
        if (manifest.ManifestXxh3 is null)
        {
            throw new GenoFlowFormatException(file, "manifest_xxh3 is missing; the dataset is damaged");
        }
        string found = DatasetLayout.FormatXxh3(XxHash3.HashToUInt64(ToCanonicalJson(manifest with { ManifestXxh3 = null })));
        if (!string.Equals(found, manifest.ManifestXxh3, StringComparison.Ordinal))
        {
            throw new GenoFlowFormatException(file, $"checksum mismatch, the manifest was edited or damaged (manifest_xxh3 says {manifest.ManifestXxh3}, content hashes to {found})");
        }
        string? problem = manifest.FindInconsistency();
        if (problem is not null)
        {
            throw new GenoFlowFormatException(file, problem + "; the dataset is damaged");
        }
        return manifest;
    }

    /// <summary>The first violated invariant, or null. The checksum makes this a guard against writer bugs.</summary>
    private string? FindInconsistency()
    {
        if (FormatVersion is < 1 or > DatasetLayout.FormatVersion)
        {
            return $"format_version {FormatVersion} is not supported (this GenoFlow reads versions 1 to {DatasetLayout.FormatVersion})";
        }
        if ((FormatVersion == 1) != (Releases is null))
        {
            return FormatVersion == 1 ? "a version-1 manifest has no releases" : "releases is missing";
        }
        if (SampleCount <= 0 || VariantCount <= 0 || VariantsPerTile <= 0 || SamplesPerTile <= 0 || SamplesPerTile % 4 != 0 || Generation <= 0)
        {
            return "counts and tile sizes must be positive (samples_per_tile a multiple of 4)";
        }
        if (SampleBlockCount != (SampleCount + SamplesPerTile - 1) / SamplesPerTile)
        {
            return $"sample_block_count {SampleBlockCount} does not match {SampleCount} samples in blocks of {SamplesPerTile}";
        }
        if (Regions is null || Files is null)
        {
            return "regions or files is missing";
        }
        long next = 0;
        for (int r = 0; r < Regions.Count; r++)
        {
            RegionInfo region = Regions[r];
            if (region.Index != r || region.FirstVariant != next || region.VariantCount <= 0 || region.VariantCount > VariantsPerTile)
            {
                return $"region {r} does not continue the grid (index {region.Index}, first_variant {region.FirstVariant}, expected {next}, variant_count {region.VariantCount})";
            }
            next += region.VariantCount;
        }
        if (next != VariantCount)
        {
            return $"regions hold {next} variants but variant_count is {VariantCount}";
        }
        // Exactly the layout's files: a name the layout does not make (an absolute path, "..") is never followed.
        if (DataFileMap.Build(this, out string? problem) is null)
        {
            return problem;
        }
        if (FormatVersion == 1 && Files.Keys.Any(f => !f.StartsWith(DatasetLayout.GenerationDirectory(Generation) + "/", StringComparison.Ordinal)))
        {
            return "a version-1 manifest names files of another generation";
        }
        return Releases is null ? null : FindHistoryInconsistency(Releases);
    }

    private string? FindHistoryInconsistency(IReadOnlyList<ReleaseInfo> releases)
    {
        if (releases.Count == 0 || releases[^1] is not { } last)
        {
            return "releases is empty";
        }
        if (last.Label != Release || last.Generation != Generation || last.SampleCount != SampleCount || last.VariantCount != VariantCount)
        {
            return $"the last release ({last.Label}, generation {last.Generation}) does not describe this manifest ({Release}, generation {Generation})";
        }
        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < releases.Count; i++)
        {
            if (releases[i] is not { Label: not null } release || !labels.Add(release.Label) || (i > 0 && release.Generation <= releases[i - 1].Generation))
            {
                return $"release {i + 1} repeats a label or does not follow the previous generation";
            }
        }
        return null;
    }
}

/// <summary>A region: variants [FirstVariant, FirstVariant + VariantCount), all on <see cref="Contig"/>.</summary>
public sealed record RegionInfo(int Index, string Contig, long FirstVariant, int VariantCount, long FirstPosition, long LastPosition);

/// <summary>A data file's size and XxHash3 (64-bit, lower-case hex) as the manifest records them.</summary>
public sealed record DataFileInfo(long Bytes, string Xxh3);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DatasetManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
