using System.Diagnostics;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>A dataset directory someone else may have written: only the layout's own regular files are ever read.</summary>
public sealed class DatasetConfinementTests : IDisposable
{
    private const string Tile = "g1/tiles/r000001_b0002.parquet";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _temp = new();
    private readonly string _path;

    public DatasetConfinementTests()
    {
        _path = _temp.Join("ds");
        TestMatrix.Random(20, [5, 6]).WriteTo(_path, new DatasetWriteOptions(VariantsPerTile: 4, SamplesPerTile: 8));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("g1/tiles/../../../secret")]
    public void A_manifest_naming_a_file_outside_the_layout_is_refused(string name)
    {
        string manifestPath = Path.Join(_path, "manifest.json");
        DatasetManifest manifest = Dataset.Open(_path).Manifest;
        var files = new Dictionary<string, DataFileInfo>(manifest.Files) { [name] = new DataFileInfo(10, "0000000000000000") };
        File.WriteAllBytes(manifestPath, (manifest with { Files = files }).ToSealedJson());

        var error = Assert.Throws<GenoFlowFormatException>(() => Dataset.Open(_path));

        Assert.Contains($"'{name}', which is not a file of the dataset layout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tile_replaced_by_a_fifo_is_refused_without_blocking()
    {
        string tile = Path.Join(_path, Tile);
        File.Delete(tile);
        using (Process mkfifo = Process.Start("mkfifo", [tile]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        using Dataset dataset = Dataset.Open(_path);

        Exception? error = await Task.Run(() => Record.Exception(() => dataset.ReadTile(1, 2).Dispose())).WaitAsync(Deadline);
        IReadOnlyList<FileCheck> checks = await Task.Run(dataset.Verify).WaitAsync(Deadline);

        Assert.Contains("not a regular file", Assert.IsType<GenoFlowFormatException>(error).Message, StringComparison.Ordinal);
        Assert.Contains(checks, c => c.File == Tile && !c.IsOk && c.Problem!.Contains("not a regular file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tile_replaced_by_a_link_outside_the_dataset_is_refused_and_one_inside_is_read_by_its_target()
    {
        string tile = Path.Join(_path, Tile);
        string outside = _temp.Join("elsewhere.parquet");
        File.Move(tile, outside);
        File.CreateSymbolicLink(tile, outside);
        using (Dataset dataset = Dataset.Open(_path))
        {
            var error = Assert.Throws<GenoFlowFormatException>(() => dataset.ReadTile(1, 2));
            Assert.Contains("outside the dataset", error.Message, StringComparison.Ordinal);
        }

        File.Delete(tile);
        string inside = Path.Join(_path, "g1", "moved.parquet");
        File.Move(outside, inside);
        File.CreateSymbolicLink(tile, inside);
        using (Dataset dataset = Dataset.Open(_path))
        {
            // The size checked is the target's, not the link's own.
            Assert.All(dataset.Verify(), c => Assert.True(c.IsOk, c.Problem));
            dataset.ReadTile(1, 2).Dispose();
        }
    }
}
