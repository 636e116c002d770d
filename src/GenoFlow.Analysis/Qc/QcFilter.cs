using System.Globalization;
using System.Text.Json;
using GenoFlow.Analysis.Output;
using GenoFlow.Core;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// What a QC output directory keeps (<c>--keep-qc DIR</c>): the variant and sample indices that passed, read from
/// qc_filter.json and the keep files it lists. Loading checks that the filter was made on this exact dataset (manifest
/// checksum) and that the keep files are the ones the filter describes (line count and xxh3).
/// </summary>
public sealed class QcFilter
{
    private QcFilter(QcFilterFile file, long[] variants, int[] samples)
    {
        File = file;
        VariantIndices = variants;
        SampleIndices = samples;
    }

    public QcFilterFile File { get; }

    public QcThresholds Thresholds => File.Thresholds;

    /// <summary>Kept variants, increasing.</summary>
    public IReadOnlyList<long> VariantIndices { get; }

    /// <summary>Kept samples, increasing.</summary>
    public IReadOnlyList<int> SampleIndices { get; }

    public static QcFilter Load(string directory, Dataset dataset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(dataset);
        string jsonPath = Path.Join(directory, QcFilterFile.FileName);
        QcFilterFile? file;
        try
        {
            file = JsonSerializer.Deserialize(System.IO.File.ReadAllBytes(jsonPath), QcJsonContext.Default.QcFilterFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GenoFlowFormatException(jsonPath, "missing: not a QC output directory, or its writing did not finish", inner: e);
        }
        catch (JsonException e)
        {
            throw new GenoFlowFormatException(jsonPath, $"not a valid QC filter ({e.Message})", inner: e);
        }
        if (file is null || file.FormatVersion != QcFilterFile.CurrentFormatVersion)
        {
            throw new GenoFlowFormatException(jsonPath, $"format_version {file?.FormatVersion} is not supported (this GenoFlow reads {QcFilterFile.CurrentFormatVersion})");
        }
        if (!string.Equals(file.ManifestXxh3, dataset.Manifest.ManifestXxh3, StringComparison.Ordinal))
        {
            throw new DatasetException(dataset.Path,
                $"the QC filter in {directory} was made on another dataset or version ({file.Dataset}, manifest {file.ManifestXxh3}), not {dataset.Path} (manifest {dataset.Manifest.ManifestXxh3}); run qc on this dataset");
        }
        long[] variants = ReadKeep(directory, file.VariantsKeep, dataset.VariantCount);
        int[] samples = ReadKeep(directory, file.SamplesKeep, dataset.SampleCount).Select(i => (int)i).ToArray();
        return new QcFilter(file, variants, samples);
    }

    private static long[] ReadKeep(string directory, KeepFileInfo info, long limit)
    {
        string path = Path.Join(directory, info.File);
        if (!System.IO.File.Exists(path))
        {
            throw new GenoFlowFormatException(path, $"missing: {QcFilterFile.FileName} lists it");
        }
        string hash = Digests.OfFile(path);
        if (!string.Equals(hash, info.Xxh3, StringComparison.Ordinal))
        {
            throw new GenoFlowFormatException(path, $"checksum mismatch (expected xxh3 {info.Xxh3}, found {hash}); the QC output was edited or damaged");
        }
        var indices = new List<long>();
        long line = 0;
        foreach (string text in System.IO.File.ReadLines(path))
        {
            line++;
            int tab = text.IndexOf('\t', StringComparison.Ordinal);
            string field = tab < 0 ? text : text[..tab];
            if (!long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long index) || index >= limit || (indices.Count > 0 && index <= indices[^1]))
            {
                throw new GenoFlowFormatException(path, $"expected an increasing index below {limit}, found '{field}'", line, 1);
            }
            indices.Add(index);
        }
        if (indices.Count != info.Count)
        {
            throw new GenoFlowFormatException(path, $"holds {indices.Count} lines, {QcFilterFile.FileName} says {info.Count}");
        }
        return [.. indices];
    }
}
