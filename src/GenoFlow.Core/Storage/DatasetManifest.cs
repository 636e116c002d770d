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
    string? ManifestXxh3 = null)
{
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
        if (FormatVersion != DatasetLayout.FormatVersion)
        {
            return $"format_version {FormatVersion} is not supported (this GenoFlow reads version {DatasetLayout.FormatVersion})";
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
        long expectedFiles = (long)Regions.Count * SampleBlockCount + 2;
        if (Files.Count > expectedFiles)
        {
            var layout = ExpectedFiles().ToHashSet(StringComparer.Ordinal);
            return $"files lists '{Files.Keys.First(k => !layout.Contains(k))}', which is not a file of the dataset layout";
        }
        foreach (string path in ExpectedFiles())
        {
            if (!Files.ContainsKey(path))
            {
                return $"files does not list {path}";
            }
        }
        return null;
    }

    /// <summary>Every data file this manifest's grid implies, in path order.</summary>
    internal IEnumerable<string> ExpectedFiles()
    {
        yield return DatasetLayout.SamplesPath(Generation);
        for (int r = 0; r < Regions.Count; r++)
        {
            for (int b = 0; b < SampleBlockCount; b++)
            {
                yield return DatasetLayout.TilePath(Generation, r, b);
            }
        }
        yield return DatasetLayout.VariantsPath(Generation);
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
