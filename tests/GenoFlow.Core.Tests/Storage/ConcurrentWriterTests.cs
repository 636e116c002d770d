using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>One writer per dataset, and readers of a replaced dataset told what happened.</summary>
public sealed class ConcurrentWriterTests : IDisposable
{
    private static readonly DatasetWriteOptions Options = new(VariantsPerTile: 4, SamplesPerTile: 8);
    private readonly TempDirectory _temp = new();
    private readonly TestMatrix _matrix = TestMatrix.Random(20, [5, 6]);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_second_writer_fails_at_once_naming_the_first_and_leaves_its_staging_alone(bool replacing)
    {
        string path = _temp.Join("ds");
        if (replacing)
        {
            _matrix.WriteTo(path, Options);
        }
        using (DatasetWriter first = DatasetWriter.Create(path, _matrix.Samples, Options))
        {
            _matrix.WriteRows(first, 3);

            var error = Assert.Throws<DatasetException>(() => DatasetWriter.Create(path, _matrix.Samples, Options));

            Assert.Contains($"is being written by process {Environment.ProcessId} on host {Environment.MachineName} since ", error.Message, StringComparison.Ordinal);
            for (int i = 3; i < _matrix.Variants.Count; i++)
            {
                first.Write(_matrix.Variants[i], _matrix.Rows[i]);
            }
            first.Complete();
        }
        using (Dataset dataset = Dataset.Open(path))
        {
            _matrix.AssertEquals(dataset);
        }
        // The lock went with the first writer: the next one proceeds.
        _matrix.WriteTo(path, Options);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path, "*partial*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_reader_of_a_replaced_generation_is_told_it_was_replaced_not_damaged()
    {
        string path = _temp.Join("ds");
        _matrix.WriteTo(path, Options);
        using Dataset old = Dataset.Open(path);

        _matrix.WriteTo(path, Options with { Release = "next" });

        var error = Assert.Throws<GenoFlowFormatException>(() => old.ReadTile(0, 0));
        Assert.Contains("replaced while it was being read (generation 1 → 2)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("damaged", error.Message, StringComparison.Ordinal);
        Assert.All(old.Verify(), c => Assert.Contains("replaced while it was being read", c.Problem, StringComparison.Ordinal));
    }
}
