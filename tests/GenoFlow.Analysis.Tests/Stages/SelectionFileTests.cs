using GenoFlow.Analysis.Pipelines;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Stages;

/// <summary>The kept-variant selection a run keeps for resuming: exact round trip, damage and another dataset refused.</summary>
public sealed class SelectionFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dataset _dataset;

    public SelectionFileTests()
    {
        (_, _dataset) = Cohort.Create(Directory.CreateDirectory(_dir.File("cohort")).FullName, new CohortSettings(37, 101, Seed: 2, Chromosomes: 1), variantsPerTile: 50, samplesPerTile: 16);
    }

    public void Dispose()
    {
        _dataset.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_selection_reads_back_bit_for_bit()
    {
        var random = new Random(3);
        var selection = new DatasetSelection([.. Enumerable.Range(0, 101).Select(_ => random.Next(2) == 0)], [.. Enumerable.Range(0, 37).Select(i => i % 5 != 0)]);
        string path = _dir.File("state/ld.selection");
        SelectionFile.Write(path, selection);
        DatasetSelection back = SelectionFile.Read(path, _dataset);
        Assert.Equal(selection.Variants, back.Variants);
        Assert.Equal(selection.Samples, back.Samples);

        SelectionFile.Write(path, new DatasetSelection(selection.Variants, null));
        Assert.Null(SelectionFile.Read(path, _dataset).Samples);
    }

    [Fact]
    public void A_damaged_or_foreign_selection_is_refused_naming_the_file()
    {
        string path = _dir.File("s.selection");
        SelectionFile.Write(path, new DatasetSelection(new bool[101], null));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[20] ^= 1;
        File.WriteAllBytes(path, bytes);
        var damaged = Assert.Throws<GenoFlowFormatException>(() => SelectionFile.Read(path, _dataset));
        Assert.Contains("checksum mismatch", damaged.Message, StringComparison.Ordinal);
        Assert.Equal(path, damaged.File);

        SelectionFile.Write(path, new DatasetSelection(new bool[100], null));
        var foreign = Assert.Throws<GenoFlowFormatException>(() => SelectionFile.Read(path, _dataset));
        Assert.Contains("made for 100 items; the dataset has 101", foreign.Message, StringComparison.Ordinal);
    }
}
