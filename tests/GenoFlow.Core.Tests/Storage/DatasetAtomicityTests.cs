using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

public sealed class DatasetAtomicityTests : IDisposable
{
    private static readonly DatasetWriteOptions SmallTiles = new(VariantsPerTile: 4, SamplesPerTile: 8);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Replacing_keeps_the_old_dataset_readable_until_commit_then_leaves_only_the_new_generation()
    {
        string path = _temp.Join("ds");
        var old = TestMatrix.Random(10, [6, 2], seed: 1);
        old.WriteTo(path, SmallTiles);
        var replacement = TestMatrix.Random(17, [3, 9], seed: 2);

        using (DatasetWriter writer = DatasetWriter.Create(path, replacement.Samples, SmallTiles))
        {
            replacement.WriteRows(writer);
            using (Dataset during = Dataset.Open(path))
            {
                Assert.Equal(1, during.Manifest.Generation);
                old.AssertEquals(during);
            }
            writer.Complete();
        }

        using Dataset after = Dataset.Open(path);
        Assert.Equal(2, after.Manifest.Generation);
        replacement.AssertEquals(after);
        Assert.Equal(["g2", "manifest.json"], DirectoryContents.Entries(path));
        Assert.Equal(["ds"], DirectoryContents.Entries(_temp.Path));
    }

    [Fact]
    public void Dispose_without_complete_leaves_nothing()
    {
        string path = _temp.Join("ds");
        var matrix = TestMatrix.Random(10, [9]);
        using (DatasetWriter writer = DatasetWriter.Create(path, matrix.Samples, SmallTiles))
        {
            matrix.WriteRows(writer);
            Assert.Single(DirectoryContents.Entries(_temp.Path), name => name.StartsWith("ds.partial-", StringComparison.Ordinal));
        }
        Assert.Empty(DirectoryContents.Entries(_temp.Path));
    }

    [Fact]
    public void Dispose_without_complete_while_replacing_leaves_the_old_dataset_as_it_was()
    {
        string path = _temp.Join("ds");
        var old = TestMatrix.Random(10, [5]);
        old.WriteTo(path, SmallTiles);
        SortedDictionary<string, byte[]> before = DirectoryContents.Read(path);

        using (DatasetWriter writer = DatasetWriter.Create(path, old.Samples, SmallTiles))
        {
            old.WriteRows(writer);
            Assert.Contains("g2.partial", DirectoryContents.Entries(path));
        }

        SortedDictionary<string, byte[]> after = DirectoryContents.Read(path);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, file => Assert.True(file.Value.AsSpan().SequenceEqual(after[file.Key]), $"{file.Key} changed"));
        using Dataset dataset = Dataset.Open(path);
        old.AssertEquals(dataset);
    }

    [Fact]
    public void Empty_input_is_an_error_and_leaves_nothing()
    {
        string path = _temp.Join("ds");
        var matrix = TestMatrix.Random(4, [1]);
        using (DatasetWriter writer = DatasetWriter.Create(path, matrix.Samples, SmallTiles))
        {
            var e = Assert.Throws<DatasetException>(writer.Complete);
            Assert.Contains("no variants", e.Message);
        }
        Assert.Empty(DirectoryContents.Entries(_temp.Path));
    }

    [Fact]
    public void Duplicate_sample_ids_are_refused()
    {
        SampleInfo[] samples = [SampleInfo.FromId("a"), SampleInfo.FromId("b"), new SampleInfo("F2", "a")];
        var e = Assert.Throws<DatasetException>(() => DatasetWriter.Create(_temp.Join("ds"), samples, SmallTiles));
        Assert.Contains("duplicate sample ID 'a' (samples 1 and 3)", e.Message);
        Assert.Empty(DirectoryContents.Entries(_temp.Path));
    }

    [Fact]
    public void A_directory_that_is_not_a_dataset_is_never_overwritten()
    {
        string path = _temp.Join("photos");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Join(path, "holiday.jpg"), "precious");
        var matrix = TestMatrix.Random(4, [1]);

        var e = Assert.Throws<DatasetException>(() => DatasetWriter.Create(path, matrix.Samples, SmallTiles));
        Assert.Contains("is not a GenoFlow dataset (no manifest.json)", e.Message);
        Assert.Equal("precious", File.ReadAllText(Path.Join(path, "holiday.jpg")));
        Assert.Equal(["holiday.jpg"], DirectoryContents.Entries(path));

        string file = _temp.Join("notes.txt");
        File.WriteAllText(file, "keep");
        Assert.Throws<DatasetException>(() => DatasetWriter.Create(file, matrix.Samples, SmallTiles));
        Assert.Equal("keep", File.ReadAllText(file));
    }

    [Fact]
    public void Opening_something_that_is_not_a_dataset_says_so()
    {
        string file = _temp.Join("notes.txt");
        File.WriteAllText(file, "keep");
        Assert.Contains("is a file, not a GenoFlow dataset", Assert.Throws<DatasetException>(() => Dataset.Open(file)).Message);
        string nowhere = _temp.Join("nowhere");
        Assert.Equal($"{nowhere} is not a GenoFlow dataset (no manifest.json)", Assert.Throws<DatasetException>(() => Dataset.Open(nowhere)).Message);
    }

    [Fact]
    public void An_empty_existing_directory_becomes_the_dataset()
    {
        string path = _temp.Join("ds");
        Directory.CreateDirectory(path);
        var matrix = TestMatrix.Random(4, [3]);
        matrix.WriteTo(path, SmallTiles);
        using Dataset dataset = Dataset.Open(path);
        matrix.AssertEquals(dataset);
    }

    [Fact]
    public void A_killed_new_write_leaves_a_partial_that_is_not_a_dataset_and_the_next_write_removes_it()
    {
        string path = _temp.Join("ds");
        var matrix = TestMatrix.Random(10, [9]);
        // A writer abandoned without Dispose is what kill -9 leaves: staged files, nothing published.
        DatasetWriter abandoned = DatasetWriter.Create(path, matrix.Samples, SmallTiles);
        matrix.WriteRows(abandoned, count: 3);
        abandoned.AbandonAsIfKilled();
        string partial = Assert.Single(Directory.EnumerateDirectories(_temp.Path));
        Assert.StartsWith(path + ".partial-", partial, StringComparison.Ordinal);

        var missing = Assert.Throws<DatasetException>(() => Dataset.Open(path));
        Assert.Equal($"{path} is not a GenoFlow dataset (no manifest.json)", missing.Message);
        Assert.Throws<DatasetException>(() => Dataset.Open(partial));

        matrix.WriteTo(path, SmallTiles);
        Assert.Equal(["ds"], DirectoryContents.Entries(_temp.Path));
        using Dataset dataset = Dataset.Open(path);
        matrix.AssertEquals(dataset);
        GC.KeepAlive(abandoned);
    }

    [Fact]
    public void A_killed_replacement_leaves_the_old_dataset_readable_and_the_next_write_removes_its_leftovers()
    {
        string path = _temp.Join("ds");
        var old = TestMatrix.Random(10, [5], seed: 1);
        old.WriteTo(path, SmallTiles);
        // Leftovers of runs killed at each stage: mid-build, after the generation rename, mid-manifest write.
        DatasetWriter abandoned = DatasetWriter.Create(path, old.Samples, SmallTiles);
        old.WriteRows(abandoned, count: 4);
        abandoned.AbandonAsIfKilled();
        Directory.CreateDirectory(Path.Join(path, "g7"));
        File.WriteAllText(Path.Join(path, "manifest.json.tmp"), "{ half a manifest");
        Assert.Equal(["g1", "g2.partial", "g7", "manifest.json", "manifest.json.tmp"], DirectoryContents.Entries(path));

        using (Dataset during = Dataset.Open(path))
        {
            old.AssertEquals(during);
        }

        var replacement = TestMatrix.Random(6, [4], seed: 3);
        replacement.WriteTo(path, SmallTiles);
        Assert.Equal(["g2", "manifest.json"], DirectoryContents.Entries(path));
        using Dataset after = Dataset.Open(path);
        replacement.AssertEquals(after);
        GC.KeepAlive(abandoned);
    }
}
