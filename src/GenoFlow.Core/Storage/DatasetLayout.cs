using System.Globalization;
using System.IO.Hashing;
using Parquet.Schema;

namespace GenoFlow.Core.Storage;

/// <summary>
/// The on-disk layout of a GenoFlow dataset, described once here.
/// <code>
/// DATASET/
///   manifest.json                      the commit point: counts, tile grid, regions, and size + xxh3 of every data file
///   g{generation}/                     one generation of data files (g1 for a new dataset; g{n+1} replaces g{n})
///     samples.parquet                  one row per sample, in dataset order; one row group
///     variants.parquet                 one row per variant, in dataset order; a row group per batch of whole regions
///     tiles/r{region:D6}_b{block:D4}.parquet   tile (region, block); one row group, one row per variant of the region
/// </code>
/// <para>Grid. Variants are cut into regions: contiguous, one contig each, at most <c>variants_per_tile</c> variants;
/// a new region starts at every contig change. Samples are cut into blocks of <c>samples_per_tile</c> samples
/// (a multiple of 4), the last block holding the rest. Tile (r, b) holds region r's variants for block b's samples.</para>
/// <para>Parquet schemas (all columns required, no nulls):
/// <code>
///   samples.parquet   sample_index int32, family_id string, sample_id string, father_id string, mother_id string,
///                     sex int32 (0 unknown, 1 male, 2 female), phenotype string (as in .fam, "-9" absent)
///   variants.parquet  variant_index int64, chrom string, pos int64, id string, ref string, alt string,
///                     cm double, region int32
///   tiles/*.parquet   variant_index int64, genotypes binary
/// </code>
/// A tile's <c>genotypes</c> value is the variant's packed row (<see cref="Genotypes.PackedGenotypes"/>, PLINK .bed
/// encoding) restricted to the block: bytes [b * samples_per_tile / 4, b * samples_per_tile / 4 + RowBytes(block samples)),
/// trailing bits zero. Because samples_per_tile is a multiple of 4, concatenating the blocks' values in block order gives
/// the full packed row. Tiles are stored uncompressed (packed genotypes are near-incompressible for the fast codecs,
/// and uncompressed is the fastest to write and read); the sample and variant tables use Snappy.</para>
/// <para>manifest.json (snake_case, written deterministically by an import: no timestamps, files sorted by path):
/// <code>
///   format_version      2 (version 1, without releases and with every file in its own generation, is still read)
///   release             the current release's label (e.g. "ukb-2026-10"; no '@', '/', '\')
///   sample_count, variant_count, variants_per_tile, samples_per_tile, sample_block_count
///   generation          n: this manifest's generation; files it wrote live under g{n}/
///   regions             [{index, contig, first_variant, variant_count, first_position, last_position}]
///   files               {"g{k}/...": {bytes, xxh3}} for every data file, k &lt;= n: a release shares the unchanged files
///                       of earlier generations (one samples.parquet, one variants.parquet, one file per tile);
///                       xxh3 = XxHash3 64-bit, seed 0, 16 lower-case hex digits
///   releases            the history, oldest first (<see cref="ReleaseInfo"/>): label, generation, counts after it,
///                       what it added (samples, variants, first added block and region), tiles and bytes it wrote,
///                       appended_at, replaced samples, and missing / ignored / flipped variant counts
///   manifest_xxh3       xxh3 of the manifest serialized canonically (this writer's output) without this field:
///                       any edit of the manifest's content is detected on open
/// </code></para>
/// <para>Releases. <c>genoflow import --append-to</c> (<see cref="ReleaseAppender"/>) writes generation n+1 with only
/// the tiles the release changes, keeps the previous manifest as <c>releases/g{n}.manifest.json</c>
/// (<see cref="ReleaseManifest"/>), then commits the new manifest. Earlier releases open as <c>DATASET@LABEL</c> until
/// <c>genoflow releases prune</c> forgets them (<see cref="ReleasePruner"/>).</para>
/// <para>Atomic writes. A new dataset is built in a sibling directory <c>DATASET.partial-{random}</c> and renamed to
/// DATASET once complete (manifest included). Replacing a dataset builds <c>DATASET/g{n+1}.partial</c>, renames it to
/// <c>g{n+1}</c>, writes <c>manifest.json.tmp</c> and renames it over <c>manifest.json</c> (the commit point), then deletes
/// the older generations and releases (a replaced dataset starts a new history; an appended release deletes nothing). A process killed at any moment leaves either no dataset or a complete one (old or new);
/// its leftovers (<c>*.partial*</c>, <c>manifest.json.tmp</c>, generations no kept release references) are removed by the next write
/// to the same target. One writer per target at a time: the writer holds an OS lock on <c>.DATASET.genoflow-lock</c>
/// beside it (<see cref="DatasetLock"/>), so a second writer fails at once naming the first, and only leftovers of dead
/// writers are removed. A reader that opened the old generation fails, once the replacement commits, with "the dataset
/// was replaced while it was being read" (not "damaged"); it reopens the dataset to see the new one.</para>
/// <para>Confinement. The manifest lists exactly the files above (any other name, such as an absolute path or "..", is
/// refused on open), and each is read only as a regular file inside the dataset (<see cref="DataFile"/>).</para>
/// <para>Every read of a data file checks its size and xxh3 against the manifest first; a mismatch names the file.</para>
/// </summary>
internal static class DatasetLayout
{
    public const int FormatVersion = 2;
    public const int DefaultVariantsPerTile = 4096;
    public const int DefaultSamplesPerTile = 8192;
    public const string DefaultRelease = "unlabelled";

    public const string ManifestFileName = "manifest.json";
    public const string ManifestTempFileName = "manifest.json.tmp";
    public const string PartialSuffix = ".partial";
    public const string SamplesFileName = "samples.parquet";
    public const string VariantsFileName = "variants.parquet";
    public const string TilesDirectoryName = "tiles";

    /// <summary>Variants per row group of variants.parquet: row groups close at the first region boundary past this.</summary>
    public const int VariantRowGroupTarget = 65_536;

    public static string GenerationDirectory(int generation) => "g" + generation.ToString(CultureInfo.InvariantCulture);

    public static string SamplesPath(int generation) => GenerationDirectory(generation) + "/" + SamplesFileName;

    public static string VariantsPath(int generation) => GenerationDirectory(generation) + "/" + VariantsFileName;

    public static string TilePath(int generation, int region, int block) =>
        $"{GenerationDirectory(generation)}/{TilesDirectoryName}/r{region:D6}_b{block:D4}.parquet";

    /// <summary>Parses "g{n}" (a committed generation directory name); false for anything else.</summary>
    public static bool TryParseGeneration(string name, out int generation)
    {
        generation = 0;
        return name.Length > 1 && name[0] == 'g' && name.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out generation);
    }

    public static string FormatXxh3(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    public static ulong HashFile(string path, out long length)
    {
        var hasher = new XxHash3();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        hasher.Append(stream);
        length = stream.Length;
        return hasher.GetCurrentHashAsUInt64();
    }

    /// <summary>xxh3 of an open file, read from its start with positional reads (the handle's offset is left alone).</summary>
    public static ulong HashFile(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var hasher = new XxHash3();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, n));
                offset += n;
            }
            return hasher.GetCurrentHashAsUInt64();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static class SampleColumns
    {
        public static readonly DataField<int> SampleIndex = new("sample_index");
        public static readonly DataField<string> FamilyId = new("family_id", false);
        public static readonly DataField<string> SampleId = new("sample_id", false);
        public static readonly DataField<string> FatherId = new("father_id", false);
        public static readonly DataField<string> MotherId = new("mother_id", false);
        public static readonly DataField<int> Sex = new("sex");
        public static readonly DataField<string> Phenotype = new("phenotype", false);
        public static readonly ParquetSchema Schema = new(SampleIndex, FamilyId, SampleId, FatherId, MotherId, Sex, Phenotype);
    }

    public static class VariantColumns
    {
        public static readonly DataField<long> VariantIndex = new("variant_index");
        public static readonly DataField<string> Chrom = new("chrom", false);
        public static readonly DataField<long> Position = new("pos");
        public static readonly DataField<string> Id = new("id", false);
        public static readonly DataField<string> Ref = new("ref", false);
        public static readonly DataField<string> Alt = new("alt", false);
        public static readonly DataField<double> CentiMorgans = new("cm");
        public static readonly DataField<int> Region = new("region");
        public static readonly ParquetSchema Schema = new(VariantIndex, Chrom, Position, Id, Ref, Alt, CentiMorgans, Region);
    }

    public static class TileColumns
    {
        public static readonly DataField<long> VariantIndex = new("variant_index");
        public static readonly DataField<byte[]> Genotypes = new("genotypes", false);
        public static readonly ParquetSchema Schema = new(VariantIndex, Genotypes);

        public static readonly Apache.Arrow.Schema ArrowSchema = new Apache.Arrow.Schema.Builder()
            .Field(new Apache.Arrow.Field("variant_index", Apache.Arrow.Types.Int64Type.Default, nullable: false))
            .Field(new Apache.Arrow.Field("genotypes", Apache.Arrow.Types.BinaryType.Default, nullable: false))
            .Build();
    }
}
