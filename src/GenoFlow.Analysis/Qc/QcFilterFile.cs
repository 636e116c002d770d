using System.Text.Json.Serialization;

namespace GenoFlow.Analysis.Qc;

/// <summary>
/// The content of qc_filter.json, written last into a QC output directory; <see cref="QcFilter.Load"/> reads it.
/// <see cref="ManifestXxh3"/> ties the filter to one exact dataset; each keep file is listed with its line count and xxh3.
/// </summary>
public sealed record QcFilterFile(
    int FormatVersion,
    string Dataset,
    string ManifestXxh3,
    string Release,
    QcThresholds Thresholds,
    string OrderOfOperations,
    long VariantCount,
    int SampleCount,
    QcSummary Summary,
    KeepFileInfo VariantsKeep,
    KeepFileInfo SamplesKeep)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "qc_filter.json";
    public const string Order = "sample filter (--mind) on all variants first; variant statistics and filters (--maf, --geno, --hwe) over the samples that pass it";
}

/// <summary>A keep file: one line per kept item, <c>index&lt;TAB&gt;id</c>, indices 0-based and increasing.</summary>
public sealed record KeepFileInfo(string File, long Count, string Xxh3);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NewLine = "\n",
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(QcFilterFile))]
internal sealed partial class QcJsonContext : JsonSerializerContext;
