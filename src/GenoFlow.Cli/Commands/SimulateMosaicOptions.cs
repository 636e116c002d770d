using System.CommandLine;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Cli.Commands;

/// <summary>The options of <c>genoflow simulate --model mosaic</c>, read into <see cref="MosaicSettings"/> (defaults from there).</summary>
internal sealed class SimulateMosaicOptions
{
    private static readonly MosaicSettings Defaults = new();

    private readonly Option<int> _pool = new("--pool-haplotypes") { Description = "Template haplotypes per population pool (smaller: stronger LD)", DefaultValueFactory = _ => Defaults.PoolHaplotypes };
    private readonly Option<double> _rate = new("--recombination-rate") { Description = "Average recombination rate, cM/Mb", DefaultValueFactory = _ => Defaults.RecombinationRate };
    private readonly Option<double> _ne = new("--ne") { Description = "Effective population size of the copying switch rate 4*Ne*r/H", DefaultValueFactory = _ => Defaults.EffectiveSize };
    private readonly Option<int> _spacing = new("--variant-spacing") { Description = "Mean distance between adjacent variants, bp", DefaultValueFactory = _ => Defaults.VariantSpacing };
    private readonly Option<double> _mafMin = new("--maf-min") { Description = "Lowest allele frequency of the 1/x spectrum (0: a singleton's, 1/2N); e.g. 0.01 for array-like data", DefaultValueFactory = _ => Defaults.MafMin };
    private readonly Option<double> _admixed = new("--admixed") { Description = "Share of samples that are two-way admixed", DefaultValueFactory = _ => Defaults.AdmixedShare };
    private readonly Option<int> _generations = new("--admixture-generations") { Description = "Generations since admixture (sets ancestry tract lengths)", DefaultValueFactory = _ => Defaults.AdmixtureGenerations };
    private readonly Option<int> _first = new("--first-degree-pairs") { Description = "Parent-offspring pairs (recorded in relatives.tsv)", DefaultValueFactory = _ => Defaults.FirstDegreePairs };
    private readonly Option<int> _second = new("--second-degree-pairs") { Description = "Half-sibling pairs (recorded in relatives.tsv)", DefaultValueFactory = _ => Defaults.SecondDegreePairs };
    private readonly Option<string> _order = new("--order") { Description = "Sample order: contiguous (by population) or shuffled", DefaultValueFactory = _ => "contiguous" };
    private readonly Option<double> _hotspotSpacing = new("--hotspot-spacing-kb") { Description = "Mean distance between recombination hotspots, kb (0: uniform map)", DefaultValueFactory = _ => Defaults.HotspotSpacingKb };
    private readonly Option<double> _hotspotShare = new("--hotspot-share") { Description = "Share of recombination in hotspots, when there are any", DefaultValueFactory = _ => Defaults.HotspotShare };

    public SimulateMosaicOptions() => _order.AcceptOnlyFromAmong("contiguous", "shuffled");

    private IEnumerable<Option> All => [_pool, _rate, _ne, _spacing, _mafMin, _admixed, _generations, _first, _second, _order, _hotspotSpacing, _hotspotShare];

    /// <summary>The option behind a <see cref="MosaicSettings"/> property whose name differs from the option's.</summary>
    public string? OptionFor(string? setting) => setting switch
    {
        nameof(MosaicSettings.EffectiveSize) => _ne.Name,
        nameof(MosaicSettings.AdmixedShare) => _admixed.Name,
        nameof(MosaicSettings.FirstDegreePairs) => _first.Name,
        nameof(MosaicSettings.SecondDegreePairs) => _second.Name,
        nameof(MosaicSettings.HotspotSpacingKb) => _hotspotSpacing.Name,
        nameof(MosaicSettings.HotspotShare) => _hotspotShare.Name,
        nameof(CohortSettings.CausalBlockSize) => "--causal-block",
        _ => null,
    };

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The mosaic settings, or null for the independent model (where a mosaic option given is an error).</summary>
    public MosaicSettings? Read(ParseResult parse, bool mosaic)
    {
        if (!mosaic)
        {
            Option? given = All.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            return given is null ? null : throw new CliUsageException($"{given.Name} applies to the mosaic model only: add --model mosaic");
        }
        return new MosaicSettings(
            PoolHaplotypes: parse.GetValue(_pool),
            RecombinationRate: parse.GetValue(_rate),
            EffectiveSize: parse.GetValue(_ne),
            VariantSpacing: parse.GetValue(_spacing),
            MafMin: parse.GetValue(_mafMin),
            AdmixedShare: parse.GetValue(_admixed),
            AdmixtureGenerations: parse.GetValue(_generations),
            FirstDegreePairs: parse.GetValue(_first),
            SecondDegreePairs: parse.GetValue(_second),
            Order: parse.GetValue(_order) == "shuffled" ? SampleOrder.Shuffled : SampleOrder.Contiguous,
            HotspotSpacingKb: parse.GetValue(_hotspotSpacing),
            HotspotShare: parse.GetValue(_hotspotShare));
    }
}
