using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Ld;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Ld;

/// <summary>The pruning rules on hand-made variants whose pairwise r² is known exactly.</summary>
public sealed class LdPruneRulesTests : IDisposable
{
    private const int Samples = 200;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Copies_in_a_window_go_independent_variants_and_other_contigs_and_far_copies_stay()
    {
        var random = new Random(5);
        sbyte[] a = Fresh(random);
        sbyte[] b = Fresh(random);
        sbyte[] c = Fresh(random);
        // chrom 1: a, copy of a (r² = 1, same MAF: the later one goes), b, c, then a again 4 variants after the first:
        // outside a 3-variant window. chrom 2 starts with a copy of c: pairs never cross contigs.
        var variants = new (string Chrom, sbyte[] Genotypes)[] { ("1", a), ("1", a), ("1", b), ("1", c), ("1", a), ("2", c), ("2", b) };
        Dataset dataset = Write(variants);

        LdPruneResult result = await LdPrune.RunAsync(new InProcessExecutor(new TileCache(1 << 20)), dataset, new LdPruneSettings(WindowVariants: 3, Step: 1, R2: 0.9), null, null, CancellationToken.None);

        Assert.Equal(new[] { false, true, false, false, false, false, false }, result.Removed);
    }

    private static sbyte[] Fresh(Random random) =>
        Enumerable.Range(0, Samples).Select(_ => (sbyte)((random.NextDouble() < 0.4 ? 1 : 0) + (random.NextDouble() < 0.4 ? 1 : 0))).ToArray();

    private Dataset Write((string Chrom, sbyte[] Genotypes)[] variants)
    {
        string path = _dir.File("ds");
        var samples = Enumerable.Range(0, Samples).Select(s => SampleInfo.FromId($"s{s}")).ToList();
        using (DatasetWriter writer = DatasetWriter.Create(path, samples, new DatasetWriteOptions(VariantsPerTile: 2, SamplesPerTile: 64)))
        {
            byte[] row = new byte[PackedGenotypes.RowBytes(Samples)];
            for (int v = 0; v < variants.Length; v++)
            {
                PackedGenotypes.Pack(variants[v].Genotypes, row);
                writer.Write(new VariantInfo(variants[v].Chrom, 1000 + v, $"v{v}", "A", "G"), row);
            }
            writer.Complete();
        }
        return Dataset.Open(path);
    }
}
