using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

public sealed class ReleaseAppendTests : IDisposable
{
    private static readonly DatasetWriteOptions Tiles = new(VariantsPerTile: 5, SamplesPerTile: 8, Release: "R1");
    private readonly TempDirectory _temp = new();

    // 20 samples x (13 + 7) variants: R1 holds samples 0-13 (blocks of 8 and 6), R2 adds 14-19.
    private readonly TestMatrix _full = TestMatrix.Random(20, [13, 7], seed: 5);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Appended_samples_give_the_dataset_a_fresh_import_of_all_samples_gives()
    {
        string path = _temp.Join("ds");
        _full.TakeSamples(0, 14).WriteTo(path, Tiles);
        ReleaseInfo release = Append(path, _full.TakeSamples(14, 6), new AppendOptions("R2"));

        string scratch = _temp.Join("scratch");
        _full.WriteTo(scratch, Tiles with { Release = "R2" });
        using Dataset appended = Dataset.Open(path);
        using Dataset fresh = Dataset.Open(scratch);
        _full.AssertEquals(appended);
        int regions = appended.RegionCount;
        for (int r = 0; r < regions; r++)
        {
            for (int b = 0; b < appended.SampleBlockCount; b++)
            {
                Assert.Equal(fresh.TileXxh3(r, b), appended.TileXxh3(r, b));
                // Block 0 was full in R1 and is shared; block 1 gained samples and block 2 is new.
                Assert.StartsWith(b == 0 ? "g1/" : "g2/", appended.TileFile(r, b));
            }
        }
        Assert.Equal((6, 0, 1, regions, 2 * regions), (release.AddedSamples, release.AddedVariants, release.FirstAddedBlock, release.FirstAddedRegion, release.WrittenTiles));
        Assert.Equal(["R1", "R2"], appended.Manifest.History.Select(r => r.Label));
        Assert.NotNull(release.AppendedAt);
        Assert.All(appended.Verify(), check => Assert.True(check.IsOk, check.Problem));
    }

    [Fact]
    public void Earlier_release_stays_readable_by_label_and_by_checksum_until_pruned()
    {
        string path = _temp.Join("ds");
        TestMatrix r1 = _full.TakeSamples(0, 14);
        r1.WriteTo(path, Tiles);
        string r1Checksum;
        using (Dataset before = Dataset.Open(path))
        {
            r1Checksum = before.Manifest.ManifestXxh3!;
            Append(path, _full.TakeSamples(14, 6), new AppendOptions("R2"));
            r1.AssertEquals(before); // a reader of R1 that was open during the append is not disturbed
        }
        using (Dataset byLabel = Dataset.Open(path + "@R1"))
        {
            r1.AssertEquals(byLabel);
            Assert.False(byLabel.IsLatest);
            Assert.Equal(path + "@R1", byLabel.Spec);
        }
        using (Dataset byChecksum = Dataset.OpenVersion(path, r1Checksum))
        {
            Assert.Equal("R1", byChecksum.Release);
        }
        Assert.Equal("R2", Dataset.Open(path + "@R2").Release);

        PruneResult pruned = ReleasePruner.Prune(path, keep: 1);
        Assert.Equal(["R1"], pruned.PrunedReleases);
        Assert.True(pruned.DeletedFiles > 0, "R1's rewritten tiles and sample table are deleted");
        var e = Assert.Throws<DatasetException>(() => Dataset.Open(path + "@R1"));
        Assert.Contains("release 'R1' was pruned", e.Message);
        using Dataset now = Dataset.Open(path);
        _full.AssertEquals(now);
        Assert.All(now.Verify(), check => Assert.True(check.IsOk, check.Problem));
        Assert.Contains("no release 'R9'", Assert.Throws<DatasetException>(() => Dataset.Open(path + "@R9")).Message);
    }

    [Fact]
    public void Variants_match_on_alleles_swapped_ones_flip_absent_ones_are_missing_and_extra_ones_are_counted()
    {
        string path = _temp.Join("ds");
        _full.TakeSamples(0, 14).WriteTo(path, Tiles);
        TestMatrix r2 = _full.TakeSamples(14, 6);
        // Swap REF/ALT of variant 2 (flipping its calls), drop variant 3, add an unknown variant.
        var variants = r2.Variants.ToList();
        var rows = r2.Rows.Select(r => r.ToArray()).ToList();
        variants[2] = variants[2] with { Ref = variants[2].Alt, Alt = variants[2].Ref };
        rows[2] = TestMatrix.FlipRow(rows[2], 6);
        variants.RemoveAt(3);
        rows.RemoveAt(3);
        variants.Add(new VariantInfo("2", 999_999, "new", "C", "T"));
        rows.Add(rows[0]);
        ReleaseInfo release = Append(path, r2 with { Variants = variants, Rows = rows }, new AppendOptions("R2"));

        Assert.Equal((1L, 1L, 1L), (release.FlippedVariants, release.MissingVariants, release.IgnoredVariants));
        using Dataset appended = Dataset.Open(path);
        using IGenotypeReader reader = appended.OpenRowReader();
        var row = new byte[PackedGenotypes.RowBytes(20)];
        for (int v = 0; v < _full.Variants.Count; v++)
        {
            Assert.True(reader.ReadNext(out VariantInfo? variant, row));
            Assert.Equal(_full.Variants[v], variant);
            for (int s = 0; s < 20; s++)
            {
                byte expected = v == 3 && s >= 14 ? PackedGenotypes.Missing : PackedGenotypes.GetCode(_full.Rows[v], s);
                Assert.True(expected == PackedGenotypes.GetCode(row, s), $"variant {v} sample {s}");
            }
        }
    }

    [Fact]
    public void Samples_already_in_the_dataset_are_refused_or_replace_their_calls_when_asked()
    {
        string path = _temp.Join("ds");
        _full.TakeSamples(0, 14).WriteTo(path, Tiles);
        TestMatrix again = _full.TakeSamples(0, 3);
        var e = Assert.Throws<DatasetException>(() => Append(path, again, new AppendOptions("R2")));
        Assert.Contains("3 of the release's samples are already in", e.Message);
        Assert.Contains("S0, S1, S2", e.Message);
        Assert.Contains("--replace-samples", e.Message);
        Assert.Equal("R1", Dataset.Open(path).Release);

        TestMatrix changed = again with { Rows = again.Rows.Select(r => TestMatrix.FlipRow(r, 3)).ToList() };
        ReleaseInfo release = Append(path, changed, new AppendOptions("R2", ReplaceSamples: true));
        using Dataset replaced = Dataset.Open(path);
        Assert.Equal((3, 0, replaced.RegionCount), (release.ReplacedSamples, release.AddedSamples, release.WrittenTiles));
        Assert.StartsWith("g1/", replaced.TileFile(0, 1)); // block 1 holds no replaced sample
        using IGenotypeReader reader = replaced.OpenRowReader();
        var row = new byte[PackedGenotypes.RowBytes(14)];
        for (int v = 0; v < _full.Variants.Count; v++)
        {
            Assert.True(reader.ReadNext(out _, row));
            byte[] expected = TestMatrix.FlipRow(_full.Rows[v], 3);
            for (int s = 0; s < 14; s++)
            {
                Assert.Equal(s < 3 ? PackedGenotypes.GetCode(expected, s) : PackedGenotypes.GetCode(_full.Rows[v], s), PackedGenotypes.GetCode(row, s));
            }
        }
    }

    [Fact]
    public void Added_variants_become_new_regions_for_all_samples()
    {
        string path = _temp.Join("ds");
        TestMatrix r1 = _full.TakeSamples(0, 14);
        (r1 with { Variants = r1.Variants.Take(13).ToList(), Rows = r1.Rows.Take(13).ToList() }).WriteTo(path, Tiles);
        // The release holds contig 2 for samples 0-9 only: samples 10-13 are missing there.
        TestMatrix contig2 = _full.TakeSamples(0, 10);
        contig2 = contig2 with { Variants = contig2.Variants.Skip(13).ToList(), Rows = contig2.Rows.Skip(13).ToList() };
        Assert.Throws<DatasetException>(() => Append(path, contig2, new AppendOptions("R2")));
        ReleaseInfo release = Append(path, contig2, new AppendOptions("R2", AddVariants: true));

        using Dataset grown = Dataset.Open(path);
        Assert.Equal((0, 7L, 3, 20L), (release.AddedSamples, release.AddedVariants, release.FirstAddedRegion, grown.VariantCount));
        Assert.Equal(["1", "1", "1", "2", "2"], grown.Manifest.Regions.Select(r => r.Contig));
        using IGenotypeReader reader = grown.OpenRowReader();
        var row = new byte[PackedGenotypes.RowBytes(14)];
        for (int v = 0; v < 20; v++)
        {
            Assert.True(reader.ReadNext(out VariantInfo? variant, row));
            Assert.Equal(_full.Variants[v], variant);
            for (int s = 0; s < 14; s++)
            {
                byte expected = v >= 13 && s >= 10 ? PackedGenotypes.Missing : PackedGenotypes.GetCode(_full.Rows[v], s);
                Assert.Equal(expected, PackedGenotypes.GetCode(row, s));
            }
        }
    }

    [Fact]
    public void A_repeated_label_a_bad_label_and_a_release_that_adds_nothing_are_refused_without_a_trace()
    {
        string path = _temp.Join("ds");
        _full.TakeSamples(0, 14).WriteTo(path, Tiles);
        var before = DirectoryContents.Read(path);
        Assert.Contains("already has a release 'R1'", Assert.Throws<DatasetException>(() => Append(path, _full.TakeSamples(14, 6), new AppendOptions("R1"))).Message);
        Assert.Contains("'@'", Assert.Throws<DatasetException>(() => Append(path, _full.TakeSamples(14, 6), new AppendOptions("R@2"))).Message);
        var nothing = _full.TakeSamples(0, 2);
        Assert.Contains("adds no samples and no variants", Assert.Throws<DatasetException>(() => Append(path, nothing, new AppendOptions("R2", AddVariants: true))).Message);
        Assert.Equal(before.Keys, DirectoryContents.Read(path).Keys);
        Assert.Equal(["ds"], DirectoryContents.Entries(_temp.Path));
    }

    [Fact]
    public void A_version_1_dataset_opens_as_one_release_and_takes_an_appended_one()
    {
        string path = _temp.Join("ds");
        _full.TakeSamples(0, 14).WriteTo(path, Tiles);
        string manifestPath = Path.Join(path, "manifest.json");
        DatasetManifest v2 = DatasetManifest.Parse(File.ReadAllBytes(manifestPath), manifestPath);
        File.WriteAllBytes(manifestPath, (v2 with { FormatVersion = 1, Releases = null, ManifestXxh3 = null }).ToSealedJson());

        using (Dataset v1 = Dataset.Open(path))
        {
            Assert.Equal(1, v1.Manifest.FormatVersion);
            Assert.Equal("R1", Assert.Single(v1.Manifest.History).Label);
        }
        Append(path, _full.TakeSamples(14, 6), new AppendOptions("R2"));
        using Dataset appended = Dataset.Open(path);
        _full.AssertEquals(appended);
        Assert.Equal((2, "R1"), (appended.Manifest.FormatVersion, appended.Manifest.History[0].Label));
        _full.TakeSamples(0, 14).AssertEquals(Dataset.Open(path + "@R1"));
    }

    private static ReleaseInfo Append(string path, TestMatrix incoming, AppendOptions options) =>
        ReleaseAppender.Append(path, options, (at, write) => incoming.WriteTo(at, write));
}
