using GenoFlow.Analysis.Tests.Ld;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.Results;

/// <summary>
/// Two releases of one cohort as separate datasets imported from scratch: R1 holds the first 240 samples, R2 the same
/// 240 and 24 more (10%). With 64 samples per block, R1's blocks hold 64, 64, 64, 48 samples and R2's 64, 64, 64, 64,
/// 8: R2 changes block 3 and adds block 4 in every region, and its blocks 0-2 are R1's, byte for byte.
/// </summary>
public sealed class ReleasePair : IDisposable
{
    public const int SamplesPerBlock = 64;
    public const int R1Samples = 240;
    public const int R2Samples = 264;
    private readonly TempDirectory _dir = new();

    public ReleasePair()
    {
        string r2Directory = Directory.CreateDirectory(_dir.File("r2")).FullName;
        (string r2Prefix, R2) = LdCohort.Create(r2Directory, R2Samples, [150, 110], missing: 0.02, seed: 31, variantsPerTile: 37, samplesPerTile: SamplesPerBlock);
        string r1Directory = Directory.CreateDirectory(_dir.File("r1")).FullName;
        string r1Prefix = Path.Join(r1Directory, "ld");
        WriteFirstSamples(r2Prefix, r1Prefix, R1Samples);
        R1 = Cohort.Import(r1Prefix, r1Directory, variantsPerTile: 37, samplesPerTile: SamplesPerBlock);
    }

    public Dataset R1 { get; }

    public Dataset R2 { get; }

    public void Dispose()
    {
        R1.Dispose();
        R2.Dispose();
        _dir.Dispose();
    }

    /// <summary>The bed fileset at <paramref name="source"/> cut to its first <paramref name="samples"/> samples (a multiple of 4).</summary>
    private static void WriteFirstSamples(string source, string target, int samples)
    {
        using BedReader reader = BedReader.Open(source);
        using BedWriter writer = BedWriter.Create(target, reader.Samples.Take(samples).ToList());
        var row = new byte[PackedGenotypes.RowBytes(reader.Samples.Count)];
        while (reader.ReadNext(out VariantInfo? variant, row))
        {
            writer.Write(variant, row.AsSpan(0, PackedGenotypes.RowBytes(samples)));
        }
        writer.Complete();
    }
}
