using System.Globalization;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Which file of a manifest's <c>files</c> holds the sample table, the variant table and each tile. A release shares the
/// files it did not change with earlier releases, so a generation-n manifest may name files under any generation up to
/// n; every name must still be a file of the layout (<see cref="DatasetLayout"/>), and each tile of the grid exactly once.
/// </summary>
internal sealed class DataFileMap
{
    private readonly string[] _tiles;
    private readonly int _blocks;

    private DataFileMap(string samples, string variants, string[] tiles, int blocks)
    {
        Samples = samples;
        Variants = variants;
        _tiles = tiles;
        _blocks = blocks;
    }

    public string Samples { get; }

    public string Variants { get; }

    public string Tile(int region, int block) => _tiles[region * _blocks + block];

    /// <summary>The map of <paramref name="manifest"/>'s files, or null with the first problem found.</summary>
    public static DataFileMap? Build(DatasetManifest manifest, out string? problem)
    {
        int regions = manifest.Regions.Count;
        int blocks = manifest.SampleBlockCount;
        var tiles = new string[(long)regions * blocks];
        string? samples = null;
        string? variants = null;
        foreach (string path in manifest.Files.Keys)
        {
            if (!TryParse(path, out int generation, out string rest) || generation > manifest.Generation)
            {
                problem = $"files lists '{path}', which is not a file of the dataset layout";
                return null;
            }
            if (rest == DatasetLayout.SamplesFileName && samples is null)
            {
                samples = path;
            }
            else if (rest == DatasetLayout.VariantsFileName && variants is null)
            {
                variants = path;
            }
            else if (TryParseTile(rest, out int region, out int block) && region < regions && block < blocks && tiles[region * blocks + block] is null)
            {
                tiles[region * blocks + block] = path;
            }
            else
            {
                problem = $"files lists '{path}', which is not a file of the dataset layout or names a file twice";
                return null;
            }
        }
        int missing = Array.IndexOf(tiles, null);
        problem = samples is null ? $"files does not list a {DatasetLayout.SamplesFileName}"
            : variants is null ? $"files does not list a {DatasetLayout.VariantsFileName}"
            : missing >= 0 ? $"files does not list tile r{missing / blocks:D6}_b{missing % blocks:D4}"
            : null;
        return problem is null ? new DataFileMap(samples!, variants!, tiles, blocks) : null;
    }

    /// <summary>Splits "g{n}/REST" into n and REST.</summary>
    private static bool TryParse(string path, out int generation, out string rest)
    {
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        rest = slash < 0 ? "" : path[(slash + 1)..];
        generation = 0;
        return slash > 0 && DatasetLayout.TryParseGeneration(path[..slash], out generation) && generation > 0;
    }

    /// <summary>Parses "tiles/r{region}_b{block}.parquet" as <see cref="DatasetLayout.TilePath"/> writes it.</summary>
    private static bool TryParseTile(string rest, out int region, out int block)
    {
        region = block = 0;
        const string prefix = DatasetLayout.TilesDirectoryName + "/r";
        const string suffix = ".parquet";
        if (!rest.StartsWith(prefix, StringComparison.Ordinal) || !rest.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }
        ReadOnlySpan<char> name = rest.AsSpan(prefix.Length, rest.Length - prefix.Length - suffix.Length);
        int separator = name.IndexOf("_b", StringComparison.Ordinal);
        return separator == 6 && name.Length - separator - 2 >= 4
            && name.IndexOfAnyExceptInRange('0', '9') == separator && name[(separator + 2)..].IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(name[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out region)
            && int.TryParse(name[(separator + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out block)
            && rest == DatasetLayout.TilePath(0, region, block)[(DatasetLayout.GenerationDirectory(0).Length + 1)..];
    }
}
