namespace GenoFlow.Analysis.Pipelines;

/// <summary>
/// A named input: an existing dataset, PLINK 1 or VCF files to import, a simulated cohort or a sample table.
/// Its values are the source key (dataset, bed, vcf, table: full paths) and the import options; a simulate input's
/// values are the keys inside <c>simulate:</c> (samples, variants, ...).
/// </summary>
public sealed class PipelineInput : PipelineEntry
{
    internal PipelineInput(string file, string name, SourceMark mark, string source, IReadOnlyList<PipelineProduct> provides, IReadOnlyList<ParameterSpec> parameters, List<PipelineValue> values)
        : base(file, name, mark, parameters, values)
    {
        Source = source;
        Provides = provides;
    }

    /// <summary>dataset, bed, vcf, simulate or table.</summary>
    public string Source { get; }

    public IReadOnlyList<PipelineProduct> Provides { get; }

    public override string Description => $"{Source} input '{Name}'";
}
