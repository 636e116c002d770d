using System.Globalization;
using System.Text;
using System.Text.Json;
using GenoFlow.Analysis.Output;
using GenoFlow.Core.Genotypes;
using Parquet;
using Parquet.Schema;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// Writes a QC result into a directory: variant_qc and sample_qc tables (TSV or Parquet), variants.keep and
/// samples.keep (what passes; see <see cref="KeepFileInfo"/>) and <see cref="QcFilterFile.FileName"/> last. Everything is
/// published by <see cref="OutputDirectory"/> with qc_filter.json as the commit file, so a reader never sees a filter with
/// half-written files.
/// TSV: tab-separated, invariant culture, doubles round-trip ("R"; NaN when undefined), pass as true/false.
/// </summary>
public static class QcOutput
{
    public const string VariantsKeepFileName = "variants.keep";
    public const string SamplesKeepFileName = "samples.keep";
    public const string VariantHeader = "chrom\tpos\tid\tref\talt\tn_hom_ref\tn_het\tn_hom_alt\tn_missing\tcall_rate\talt_freq\thwe_p\tpass";
    public const string SampleHeader = "sample_id\tn_called\tn_missing\tcall_rate\tn_het\tn_hom_alt\thet_rate\tpass";

    /// <summary>The tables of both formats: a rerun in one format removes the other's.</summary>
    private static readonly string[] TableNames = ["variant_qc.tsv", "sample_qc.tsv", "variant_qc.parquet", "sample_qc.parquet"];

    private const int RowGroupSize = 1 << 20;

    public static void Write(QcResult result, string directory, QcFormat format)
    {
        ArgumentNullException.ThrowIfNull(result);
        string extension = format == QcFormat.Parquet ? "parquet" : "tsv";
        string[] obsolete = [.. TableNames.Where(name => !name.EndsWith(extension, StringComparison.Ordinal))];
        OutputDirectory.Publish(directory, staging =>
        {
            KeepFileInfo variantsKeep;
            if (format == QcFormat.Parquet)
            {
                WriteVariantParquet(result, Path.Join(staging, "variant_qc.parquet"));
                WriteSampleParquet(result, Path.Join(staging, "sample_qc.parquet"));
                variantsKeep = WriteVariantsKeep(result, Path.Join(staging, VariantsKeepFileName), table: null);
            }
            else
            {
                variantsKeep = WriteVariantsKeep(result, Path.Join(staging, VariantsKeepFileName), table: Path.Join(staging, "variant_qc.tsv"));
                WriteSampleTsv(result, Path.Join(staging, "sample_qc.tsv"));
            }
            KeepFileInfo samplesKeep = WriteSamplesKeep(result, Path.Join(staging, SamplesKeepFileName));
            var filter = new QcFilterFile(QcFilterFile.CurrentFormatVersion, result.Dataset.Path, result.Dataset.Manifest.ManifestXxh3!, result.Dataset.Release,
                result.Thresholds, QcFilterFile.Order, result.VariantCount, result.SampleCount, result.Summary, variantsKeep, samplesKeep);
            File.WriteAllBytes(Path.Join(staging, QcFilterFile.FileName), JsonSerializer.SerializeToUtf8Bytes(filter, QcJsonContext.Default.QcFilterFile));
        }, commitFile: QcFilterFile.FileName, obsolete: obsolete);
    }

    private static void WriteSampleTsv(QcResult result, string path)
    {
        using StreamWriter writer = TextTable.Create(path);
        writer.WriteLine(SampleHeader);
        for (int s = 0; s < result.SampleCount; s++)
        {
            SampleQc q = result.Sample(s);
            writer.WriteLine(string.Join('\t', result.Samples[s].SampleId, q.Called.ToString(CultureInfo.InvariantCulture), q.Missing.ToString(CultureInfo.InvariantCulture),
                TextTable.Format(q.CallRate), q.Het.ToString(CultureInfo.InvariantCulture), q.HomAlt.ToString(CultureInfo.InvariantCulture), TextTable.Format(q.HetRate), q.Pass ? "true" : "false"));
        }
    }

    /// <summary>
    /// variants.keep and, when <paramref name="table"/> is given, variant_qc.tsv, in one pass over the variant table:
    /// decoding that table (strings of every variant) cost as much as writing both files.
    /// </summary>
    private static KeepFileInfo WriteVariantsKeep(QcResult result, string path, string? table)
    {
        long count = 0;
        using (StreamWriter writer = TextTable.Create(path))
        using (StreamWriter? tsv = table is null ? null : TextTable.Create(table))
        {
            tsv?.WriteLine(VariantHeader);
            var line = new StringBuilder();
            long index = 0;
            foreach (VariantInfo variant in result.Dataset.ReadVariants())
            {
                VariantQc q = result.Variant(index);
                if (tsv is not null)
                {
                    line.Clear().Append(variant.Chrom).Append('\t').Append(variant.Position.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(variant.Id).Append('\t').Append(variant.Ref).Append('\t').Append(variant.Alt).Append('\t')
                        .Append(q.HomRef.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(q.Het.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(q.HomAlt.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(q.Missing.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(TextTable.Format(q.CallRate)).Append('\t').Append(TextTable.Format(q.AltFrequency)).Append('\t').Append(TextTable.Format(q.HweP)).Append('\t')
                        .Append(q.Pass ? "true" : "false");
                    tsv.WriteLine(line);
                }
                if (q.Pass)
                {
                    writer.Write(index.ToString(CultureInfo.InvariantCulture));
                    writer.Write('\t');
                    writer.WriteLine(variant.Id);
                    count++;
                }
                index++;
            }
        }
        return new KeepFileInfo(Path.GetFileName(path), count, Digests.OfFile(path));
    }

    private static KeepFileInfo WriteSamplesKeep(QcResult result, string path)
    {
        long count = 0;
        using (StreamWriter writer = TextTable.Create(path))
        {
            for (int s = 0; s < result.SampleCount; s++)
            {
                if (result.Sample(s).Pass)
                {
                    writer.WriteLine($"{s.ToString(CultureInfo.InvariantCulture)}\t{result.Samples[s].SampleId}");
                    count++;
                }
            }
        }
        return new KeepFileInfo(Path.GetFileName(path), count, Digests.OfFile(path));
    }

    private static readonly DataField<string> Chrom = new("chrom", false);
    private static readonly DataField<long> Pos = new("pos");
    private static readonly DataField<string> Id = new("id", false);
    private static readonly DataField<string> Ref = new("ref", false);
    private static readonly DataField<string> Alt = new("alt", false);
    private static readonly DataField<int> VHomRef = new("n_hom_ref");
    private static readonly DataField<int> VHet = new("n_het");
    private static readonly DataField<int> VHomAlt = new("n_hom_alt");
    private static readonly DataField<int> VMissing = new("n_missing");
    private static readonly DataField<double> CallRate = new("call_rate");
    private static readonly DataField<double> AltFreq = new("alt_freq");
    private static readonly DataField<double> HweP = new("hwe_p");
    private static readonly DataField<bool> Pass = new("pass");
    private static readonly ParquetSchema VariantSchema = new(Chrom, Pos, Id, Ref, Alt, VHomRef, VHet, VHomAlt, VMissing, CallRate, AltFreq, HweP, Pass);

    private static readonly DataField<string> SampleId = new("sample_id", false);
    private static readonly DataField<long> SCalled = new("n_called");
    private static readonly DataField<long> SMissing = new("n_missing");
    private static readonly DataField<long> SHet = new("n_het");
    private static readonly DataField<long> SHomAlt = new("n_hom_alt");
    private static readonly DataField<double> HetRate = new("het_rate");
    private static readonly ParquetSchema SampleSchema = new(SampleId, SCalled, SMissing, CallRate, SHet, SHomAlt, HetRate, Pass);

    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy };

    private static void WriteVariantParquet(QcResult result, string path)
    {
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        Run(async () =>
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(VariantSchema, output, WriteOptions, false, default);
            var batch = new List<VariantInfo>(RowGroupSize);
            long first = 0;
            foreach (VariantInfo variant in result.Dataset.ReadVariants())
            {
                batch.Add(variant);
                if (batch.Count == RowGroupSize)
                {
                    await WriteVariantGroup(writer, result, batch, first);
                    first += batch.Count;
                    batch.Clear();
                }
            }
            if (batch.Count > 0 || first == 0)
            {
                await WriteVariantGroup(writer, result, batch, first);
            }
        });
    }

    private static async Task WriteVariantGroup(ParquetWriter writer, QcResult result, List<VariantInfo> batch, long first)
    {
        VariantQc[] q = Enumerable.Range(0, batch.Count).Select(i => result.Variant(first + i)).ToArray();
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        await group.WriteAsync(Chrom, batch.Select(v => v.Chrom).ToArray());
        await group.WriteAsync<long>(Pos, batch.Select(v => v.Position).ToArray());
        await group.WriteAsync(Id, batch.Select(v => v.Id).ToArray());
        await group.WriteAsync(Ref, batch.Select(v => v.Ref).ToArray());
        await group.WriteAsync(Alt, batch.Select(v => v.Alt).ToArray());
        await group.WriteAsync<int>(VHomRef, q.Select(x => x.HomRef).ToArray());
        await group.WriteAsync<int>(VHet, q.Select(x => x.Het).ToArray());
        await group.WriteAsync<int>(VHomAlt, q.Select(x => x.HomAlt).ToArray());
        await group.WriteAsync<int>(VMissing, q.Select(x => x.Missing).ToArray());
        await group.WriteAsync<double>(CallRate, q.Select(x => x.CallRate).ToArray());
        await group.WriteAsync<double>(AltFreq, q.Select(x => x.AltFrequency).ToArray());
        await group.WriteAsync<double>(HweP, q.Select(x => x.HweP).ToArray());
        await group.WriteAsync<bool>(Pass, q.Select(x => x.Pass).ToArray());
        group.CompleteValidate();
    }

    private static void WriteSampleParquet(QcResult result, string path)
    {
        SampleQc[] q = Enumerable.Range(0, result.SampleCount).Select(result.Sample).ToArray();
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        Run(async () =>
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(SampleSchema, output, WriteOptions, false, default);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync(SampleId, result.Samples.Select(s => s.SampleId).ToArray());
            await group.WriteAsync<long>(SCalled, q.Select(x => x.Called).ToArray());
            await group.WriteAsync<long>(SMissing, q.Select(x => x.Missing).ToArray());
            await group.WriteAsync<double>(CallRate, q.Select(x => x.CallRate).ToArray());
            await group.WriteAsync<long>(SHet, q.Select(x => x.Het).ToArray());
            await group.WriteAsync<long>(SHomAlt, q.Select(x => x.HomAlt).ToArray());
            await group.WriteAsync<double>(HetRate, q.Select(x => x.HetRate).ToArray());
            await group.WriteAsync<bool>(Pass, q.Select(x => x.Pass).ToArray());
            group.CompleteValidate();
        });
    }

    /// <summary>Parquet.Net is async-only; library code has no synchronization context, so blocking cannot deadlock.</summary>
    private static void Run(Func<Task> work) => work().GetAwaiter().GetResult();
}
