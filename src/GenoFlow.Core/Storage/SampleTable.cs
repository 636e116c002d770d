using GenoFlow.Core.Genotypes;
using Parquet;
using Cols = GenoFlow.Core.Storage.DatasetLayout.SampleColumns;

namespace GenoFlow.Core.Storage;

/// <summary>Writes and reads samples.parquet (schema in <see cref="DatasetLayout"/>).</summary>
internal static class SampleTable
{
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    public static void Write(string path, IReadOnlyList<SampleInfo> samples)
    {
        int n = samples.Count;
        var index = new int[n];
        var sex = new int[n];
        for (int i = 0; i < n; i++)
        {
            index[i] = i;
            sex[i] = samples[i].Sex;
        }
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        Sync.Run(async () =>
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(Cols.Schema, output, WriteOptions, false, default);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync<int>(Cols.SampleIndex, index);
            await group.WriteAsync(Cols.FamilyId, samples.Select(s => s.FamilyId).ToArray());
            await group.WriteAsync(Cols.SampleId, samples.Select(s => s.SampleId).ToArray());
            await group.WriteAsync(Cols.FatherId, samples.Select(s => s.FatherId).ToArray());
            await group.WriteAsync(Cols.MotherId, samples.Select(s => s.MotherId).ToArray());
            await group.WriteAsync<int>(Cols.Sex, sex);
            await group.WriteAsync(Cols.Phenotype, samples.Select(s => s.Phenotype).ToArray());
            group.CompleteValidate();
        });
    }

    public static IReadOnlyList<SampleInfo> Read(ArraySegment<byte> contents, string file, int sampleCount)
    {
        try
        {
            using var input = new MemoryStream(contents.Array!, contents.Offset, contents.Count, writable: false);
            ParquetStructure.Check(input, file, sampleCount);
            return Sync.Run(async () =>
            {
                await using ParquetReader reader = await ParquetReader.CreateAsync(input, null, true, default);
                var samples = new List<SampleInfo>(sampleCount);
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                    int rows = checked((int)group.RowCount);
                    var index = new int[rows];
                    var family = new string?[rows];
                    var id = new string?[rows];
                    var father = new string?[rows];
                    var mother = new string?[rows];
                    var sex = new int[rows];
                    var phenotype = new string?[rows];
                    await group.ReadAsync<int>(Cols.SampleIndex, index, null, default);
                    await group.ReadAsync(Cols.FamilyId, family, null, default);
                    await group.ReadAsync(Cols.SampleId, id, null, default);
                    await group.ReadAsync(Cols.FatherId, father, null, default);
                    await group.ReadAsync(Cols.MotherId, mother, null, default);
                    await group.ReadAsync<int>(Cols.Sex, sex, null, default);
                    await group.ReadAsync(Cols.Phenotype, phenotype, null, default);
                    for (int i = 0; i < rows; i++)
                    {
                        if (index[i] != samples.Count)
                        {
                            throw new GenoFlowFormatException(file, $"row {samples.Count} has sample_index {index[i]}; the dataset is damaged");
                        }
                        samples.Add(new SampleInfo(family[i] ?? "", id[i] ?? "", father[i] ?? "", mother[i] ?? "", sex[i], phenotype[i] ?? ""));
                    }
                }
                if (samples.Count != sampleCount)
                {
                    throw new GenoFlowFormatException(file, $"holds {samples.Count} samples, the manifest says {sampleCount}; the dataset is damaged");
                }
                return samples;
            });
        }
        catch (Exception e) when (e is not GenoFlowFormatException)
        {
            throw new GenoFlowFormatException(file, $"not a readable sample table ({e.Message}); the dataset is damaged", inner: e);
        }
    }
}
