using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Core.Tests.Storage;

/// <summary>A scratch directory deleted after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Join(System.IO.Path.GetTempPath(), "genoflow-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Join(string name) => System.IO.Path.Join(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Random genotype matrices and the helpers that write and read them.</summary>
internal sealed record TestMatrix(IReadOnlyList<SampleInfo> Samples, IReadOnlyList<VariantInfo> Variants, IReadOnlyList<byte[]> Rows)
{
    /// <summary>Contigs "1", "2", ... with the given variant counts; rows random with ~5% missing, trailing bits zero.</summary>
    public static TestMatrix Random(int sampleCount, int[] variantsPerContig, int seed = 42)
    {
        var random = new Random(seed);
        var samples = Enumerable.Range(0, sampleCount)
            .Select(i => new SampleInfo($"F{i % 7}", $"S{i}", i % 3 == 0 ? "0" : $"P{i}", "0", i % 3, i % 2 == 0 ? "-9" : "1.5"))
            .ToArray();
        var variants = new List<VariantInfo>();
        var rows = new List<byte[]>();
        var counts = new sbyte[sampleCount];
        for (int c = 0; c < variantsPerContig.Length; c++)
        {
            for (int v = 0; v < variantsPerContig[c]; v++)
            {
                variants.Add(new VariantInfo((c + 1).ToString(), 1000 + 10L * v, $"rs{c}_{v}", "A", v % 2 == 0 ? "G" : "TC", v * 0.01));
                for (int s = 0; s < sampleCount; s++)
                {
                    counts[s] = random.Next(20) == 0 ? (sbyte)-1 : (sbyte)random.Next(3);
                }
                var row = new byte[PackedGenotypes.RowBytes(sampleCount)];
                PackedGenotypes.Pack(counts, row);
                rows.Add(row);
            }
        }
        return new TestMatrix(samples, variants, rows);
    }

    /// <summary>Samples [<paramref name="first"/>, first + <paramref name="count"/>) at every variant.</summary>
    public TestMatrix TakeSamples(int first, int count)
    {
        var all = new sbyte[Samples.Count];
        var rows = Rows.Select(row =>
        {
            PackedGenotypes.Unpack(row, all);
            var packed = new byte[PackedGenotypes.RowBytes(count)];
            PackedGenotypes.Pack(all.AsSpan(first, count), packed);
            return packed;
        }).ToList();
        return new TestMatrix(Samples.Skip(first).Take(count).ToList(), Variants, rows);
    }

    /// <summary>The row with REF and ALT swapped (2 - g) for its first <paramref name="sampleCount"/> samples.</summary>
    public static byte[] FlipRow(byte[] row, int sampleCount)
    {
        var flipped = row.ToArray();
        for (int s = 0; s < sampleCount; s++)
        {
            byte code = PackedGenotypes.GetCode(row, s);
            PackedGenotypes.SetCode(flipped, s, code switch
            {
                PackedGenotypes.HomAlt => PackedGenotypes.HomRef,
                PackedGenotypes.HomRef => PackedGenotypes.HomAlt,
                _ => code,
            });
        }
        return flipped;
    }

    public void WriteTo(string path, DatasetWriteOptions options)
    {
        using DatasetWriter writer = DatasetWriter.Create(path, Samples, options);
        WriteRows(writer);
        writer.Complete();
    }

    public void WriteRows(IGenotypeWriter writer, int? count = null)
    {
        for (int i = 0; i < (count ?? Variants.Count); i++)
        {
            writer.Write(Variants[i], Rows[i]);
        }
    }

    /// <summary>Reads every row back through <see cref="Dataset.OpenRowReader"/> and asserts it equals this matrix.</summary>
    public void AssertEquals(Dataset dataset)
    {
        Assert.Equal(Samples, dataset.ReadSamples());
        Assert.Equal(Variants, dataset.ReadVariants());
        using IGenotypeReader reader = dataset.OpenRowReader();
        Assert.Equal(Samples, reader.Samples);
        var row = new byte[PackedGenotypes.RowBytes(Samples.Count)];
        for (int i = 0; i < Variants.Count; i++)
        {
            Assert.True(reader.ReadNext(out VariantInfo? variant, row), $"reader ended at variant {i} of {Variants.Count}");
            Assert.Equal(Variants[i], variant);
            Assert.True(Rows[i].AsSpan().SequenceEqual(row), $"packed row {i} differs");
        }
        Assert.False(reader.ReadNext(out _, row), "reader returned more variants than were written");
        Assert.Equal(1.0, reader.Progress);
    }
}

internal static class DirectoryContents
{
    /// <summary>Relative path → bytes of every file under <paramref name="root"/>, in path order.</summary>
    public static SortedDictionary<string, byte[]> Read(string root)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'), File.ReadAllBytes(file));
        }
        return files;
    }

    public static string[] Entries(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
