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
/// <see cref="ImportR1"/> and <see cref="AppendR2"/> make the same two releases as one dataset, R2 appended to R1.
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
        _r1Prefix = Path.Join(r1Directory, "ld");
        WriteSamples(r2Prefix, _r1Prefix, 0, R1Samples);
        _addedPrefix = Path.Join(r1Directory, "added");
        WriteSamples(r2Prefix, _addedPrefix, R1Samples, R2Samples - R1Samples);
        R1 = Cohort.Import(_r1Prefix, r1Directory, variantsPerTile: 37, samplesPerTile: SamplesPerBlock);
    }

    private readonly string _r1Prefix;
    private readonly string _addedPrefix;

    public Dataset R1 { get; }

    public Dataset R2 { get; }

    /// <summary>R1 imported into <c>directory/dataset</c>, to append R2 to.</summary>
    public Dataset ImportR1(string directory) => Cohort.Import(_r1Prefix, directory, variantsPerTile: 37, samplesPerTile: SamplesPerBlock);

    /// <summary>Appends R2's new samples to the dataset at <paramref name="path"/> as release "R2".</summary>
    public void AppendR2(string path) => ReleaseAppender.Append(path, new AppendOptions("R2"), (staging, options) =>
    {
        using BedReader reader = BedReader.Open(_addedPrefix);
        using DatasetWriter writer = DatasetWriter.Create(staging, reader.Samples, options);
        GenotypeCopy.CopyAll(reader, writer);
        writer.Complete();
    });

    public void Dispose()
    {
        R1.Dispose();
        R2.Dispose();
        _dir.Dispose();
    }

    /// <summary>The bed fileset at <paramref name="source"/> cut to <paramref name="count"/> samples from <paramref name="first"/> (both multiples of 4).</summary>
    private static void WriteSamples(string source, string target, int first, int count)
    {
        using BedReader reader = BedReader.Open(source);
        using BedWriter writer = BedWriter.Create(target, reader.Samples.Skip(first).Take(count).ToList());
        var row = new byte[PackedGenotypes.RowBytes(reader.Samples.Count)];
        while (reader.ReadNext(out VariantInfo? variant, row))
        {
            writer.Write(variant, row.AsSpan(first / 4, PackedGenotypes.RowBytes(count)));
        }
        writer.Complete();
    }
}
