using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Tests.TestSupport;

namespace GenoFlow.Core.Tests.Simulation;

/// <summary>A later batch is new people on the same array: the variants and causal effects of batch 0, other genotypes.</summary>
public sealed class BatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Simulate(CohortSettings settings, string name)
    {
        string dir = Directory.CreateDirectory(_dir.File(name)).FullName;
        var simulator = new CohortSimulator(settings);
        using BedWriter bed = BedWriter.Create(Path.Combine(dir, "cohort"), simulator.Samples);
        simulator.Run([bed], Path.Combine(dir, "phenotypes.tsv"));
        bed.Complete();
        return dir;
    }

    /// <summary>The causal variants' id, chrom and pos (their frequency and per-SD effect are those of each batch's own samples).</summary>
    private static string[] CausalVariants(string dir) =>
        [.. File.ReadAllLines(Path.Combine(dir, CohortSimulator.CausalVariantsFileName)).Select(l => string.Join('\t', l.Split('\t')[..3]))];

    public static TheoryData<bool> Models => new() { false, true };

    [Theory]
    [MemberData(nameof(Models))]
    public void A_batch_shares_the_variants_and_effects_of_batch_0_and_draws_new_samples(bool mosaic)
    {
        var settings = new CohortSettings(300, 800, Populations: 2, Seed: 5, Chromosomes: 2, CausalVariants: 10) { Mosaic = mosaic ? new MosaicSettings() : null };
        string first = Simulate(settings, "b0");
        string second = Simulate(settings with { Batch = 2 }, "b2");
        string again = Simulate(settings with { Batch = 2 }, "b2-again");

        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "cohort.bim")), File.ReadAllBytes(Path.Combine(second, "cohort.bim")));
        Assert.Equal(CausalVariants(first), CausalVariants(second));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, "cohort.bed")), File.ReadAllBytes(Path.Combine(second, "cohort.bed")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(second, "cohort.bed")), File.ReadAllBytes(Path.Combine(again, "cohort.bed")));
        Assert.All(File.ReadAllLines(Path.Combine(second, "cohort.fam")), line => Assert.StartsWith("0\tb2_pop", line, StringComparison.Ordinal));
        Assert.All(File.ReadAllLines(Path.Combine(first, "cohort.fam")), line => Assert.StartsWith("0\tpop", line, StringComparison.Ordinal));
    }

    [Fact]
    public void A_negative_batch_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CohortSimulator(new CohortSettings(10, 10) { Batch = -1 }));
        Assert.Equal("Batch", e.ParamName);
    }
}
