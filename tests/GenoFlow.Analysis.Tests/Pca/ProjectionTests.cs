using System.Globalization;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tests.TestSupport;
using Xunit.Abstractions;

namespace GenoFlow.Analysis.Tests.Pca;

public sealed class ProjectionTests(PcaCohort cohort, ITestOutputHelper output) : IClassFixture<PcaCohort>
{
    private static InProcessExecutor Executor() => new(new TileCache(64 << 20), parallelism: 2, scratch: TestScratch.Root);

    [Fact]
    public async Task Output_files_are_written_and_projecting_own_samples_reproduces_their_scores()
    {
        string dir = Path.Combine(cohort.Directory, $"pca-{Guid.NewGuid():N}");
        PcaResult result = await cohort.Run(new PcaSettings(4, Seed: 3));
        PcaOutput.Write(result, cohort.Dataset, dir);
        Assert.Equal(["eigenvalues.tsv", "loadings.parquet", "model.json", "scores.tsv"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string[] eigen = File.ReadAllLines(Path.Combine(dir, PcaOutput.EigenvaluesFile));
        Assert.Equal("pc\teigenvalue\tvariance_explained", eigen[0]);
        Assert.Equal(5, eigen.Length);
        double[][] own = ReadScores(Path.Combine(dir, PcaOutput.ScoresFile));
        Assert.Equal(2000, own[0].Length);

        Projection.Model model = Projection.Model.Load(dir);
        Assert.Equal(4, model.K);
        Assert.Equal(5000, model.VariantCount);
        Projection.Result projected = await Projection.RunAsync(Executor(), cohort.Dataset, model, TestScratch.Root.CreateStore());
        Assert.Equal((5000, 0), (projected.Matched, projected.Flipped));
        string projDir = Path.Combine(cohort.Directory, $"proj-{Guid.NewGuid():N}");
        Projection.Write(projected, Projection.Collect(projected, cohort.Dataset, projDir), projDir);
        double[][] again = ReadScores(Path.Combine(projDir, PcaOutput.ScoresFile));
        foreach (int k in cohort.SeparatedPcs().Where(k => k < 4))
        {
            double correlation = PcaCohort.Correlation(own[k], again[k]);
            double maxDifference = own[k].Zip(again[k]).Max(p => Math.Abs(p.First - p.Second));
            output.WriteLine($"PC{k + 1}: corr(projected own, scores) {correlation:F8}, max |difference| {maxDifference:E2}");
            Assert.True(correlation >= 0.9999, $"PC{k + 1}: corr {correlation}");
        }
    }

    [Fact]
    public async Task Held_out_samples_agree_with_plink2_score_on_allele_weights()
    {
        // Train on 4 of every 5 samples; project the held-out fifth with GenoFlow and with plink2 --score.
        var train = Enumerable.Range(0, cohort.Dataset.SampleCount).Select(s => s % 5 != 0).ToArray();
        PcaResult result = await cohort.Run(new PcaSettings(3, PcaMethod.Exact), sampleKeep: train);
        string dir = Path.Combine(cohort.Directory, $"pca-held-{Guid.NewGuid():N}");
        PcaOutput.Write(result, cohort.Dataset, dir);
        Projection.Result projected = await Projection.RunAsync(Executor(), cohort.Dataset, Projection.Model.Load(dir), TestScratch.Root.CreateStore());
        double[][] ours = Enumerable.Range(0, 3).Select(_ => new double[cohort.Dataset.SampleCount]).ToArray();
        for (int b = 0; b < cohort.Dataset.SampleBlockCount; b++)
        {
            double[] piece = projected.Store.Read<double>(Projection.Result.ScoresPiece(b));
            for (int i = 0; i < piece.Length; i++)
            {
                ours[i % 3][b * cohort.Dataset.Manifest.SamplesPerTile + i / 3] = piece[i];
            }
        }

        string work = Directory.CreateDirectory(Path.Combine(cohort.Directory, $"plink-held-{Guid.NewGuid():N}")).FullName;
        var fam = File.ReadAllLines(cohort.Bed + ".fam");
        File.WriteAllLines(Path.Combine(work, "train.txt"), fam.Where((_, s) => train[s]).Select(l => string.Join('\t', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(2))));
        File.WriteAllLines(Path.Combine(work, "test.txt"), fam.Where((_, s) => !train[s]).Select(l => string.Join('\t', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(2))));
        Plink2.Run(work, "--bfile", cohort.Bed, "--keep", "train.txt", "--freq", "--pca", "3", "allele-wts", "--out", "ref");
        string[] header = File.ReadLines(Path.Combine(work, "ref.eigenvec.allele")).First().TrimStart('#').Split('\t');
        int id = Array.IndexOf(header, "ID") + 1, a1 = Array.IndexOf(header, "A1") + 1, pc1 = Array.IndexOf(header, "PC1") + 1;
        Plink2.Run(work, "--bfile", cohort.Bed, "--keep", "test.txt", "--read-freq", "ref.afreq", "--score", "ref.eigenvec.allele",
            id.ToString(CultureInfo.InvariantCulture), a1.ToString(CultureInfo.InvariantCulture), "header-read", "no-mean-imputation", "variance-standardize",
            "--score-col-nums", $"{pc1}-{pc1 + 2}", "--out", "new");
        var sscore = Plink2.ReadTable(Path.Combine(work, "new.sscore"));
        int[] heldOut = Enumerable.Range(0, cohort.Dataset.SampleCount).Where(s => !train[s]).ToArray();
        Assert.Equal(heldOut.Length, sscore.Count);
        foreach (int k in new[] { 0, 1, 2 })
        {
            double[] plink = sscore.Select(row => double.Parse(row[$"PC{k + 1}_AVG"], CultureInfo.InvariantCulture)).ToArray();
            double correlation = Math.Abs(PcaCohort.Correlation(heldOut.Select(s => ours[k][s]).ToArray(), plink));
            output.WriteLine($"held-out PC{k + 1}: |corr| with plink2 --score {correlation:F7}");
            Assert.True(correlation >= 0.999, $"PC{k + 1}: |corr| with plink2 --score {correlation}");
        }
    }

    [Fact]
    public async Task Swapped_alleles_are_flipped_and_give_the_same_scores()
    {
        // The same genotypes with REF and ALT swapped: .bim columns 5 and 6 exchanged and the .bed's homozygous codes
        // (00 = two A1, 11 = two A2) exchanged with them. Every ALT count g of the new dataset is the model's 2 - g.
        string work = Directory.CreateDirectory(Path.Combine(cohort.Directory, $"swap-{Guid.NewGuid():N}")).FullName;
        string prefix = Path.Combine(work, "swapped");
        byte[] bed = File.ReadAllBytes(cohort.Bed + ".bed");
        for (int i = 3; i < bed.Length; i++)
        {
            int swappedByte = 0;
            for (int shift = 0; shift < 8; shift += 2)
            {
                int code = (bed[i] >> shift) & 3;
                swappedByte |= (code == 0 ? 3 : code == 3 ? 0 : code) << shift;
            }
            bed[i] = (byte)swappedByte;
        }
        Assert.Equal(0, 2000 % 4); // no trailing bits to keep at zero
        File.WriteAllBytes(prefix + ".bed", bed);
        File.Copy(cohort.Bed + ".fam", prefix + ".fam");
        File.WriteAllLines(prefix + ".bim", File.ReadLines(cohort.Bed + ".bim").Select(l =>
        {
            string[] f = l.Split('\t');
            (f[4], f[5]) = (f[5], f[4]);
            return string.Join('\t', f);
        }));
        using (var reader = Core.Formats.Plink.BedReader.Open(prefix))
        using (var writer = Core.Storage.DatasetWriter.Create(Path.Combine(work, "ds"), reader.Samples, new Core.Storage.DatasetWriteOptions(700, 300)))
        {
            Core.Genotypes.GenotypeCopy.CopyAll(reader, writer);
            writer.Complete();
        }
        using var swapped = Core.Storage.Dataset.Open(Path.Combine(work, "ds"));
        string dir = Path.Combine(work, "pca");
        PcaOutput.Write(await cohort.Run(new PcaSettings(2, PcaMethod.Exact)), cohort.Dataset, dir);
        Projection.Model model = Projection.Model.Load(dir);
        Projection.Result own = await Projection.RunAsync(Executor(), cohort.Dataset, model, TestScratch.Root.CreateStore());
        Projection.Result flipped = await Projection.RunAsync(Executor(), swapped, model, TestScratch.Root.CreateStore());
        Assert.Equal((5000, 5000), (flipped.Matched, flipped.Flipped));
        double[] a = Enumerable.Range(0, cohort.Dataset.SampleBlockCount).SelectMany(b => own.Store.Read<double>(Projection.Result.ScoresPiece(b))).ToArray();
        double[] b = Enumerable.Range(0, swapped.SampleBlockCount).SelectMany(b => flipped.Store.Read<double>(Projection.Result.ScoresPiece(b))).ToArray();
        Assert.Equal(a.Length, b.Length);
        double worst = a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
        output.WriteLine($"max |own - swapped| {worst:E2}");
        Assert.True(worst < 1e-5, $"projection of the allele-swapped dataset differs by up to {worst}");
    }

    [Fact]
    public async Task Too_small_an_overlap_is_refused()
    {
        var model = new Projection.Model(1, ["9"], [1], ["A"], ["C"], [0.5], [1.4], [[0.1]]);
        var error = await Assert.ThrowsAsync<StageException>(() => Projection.RunAsync(Executor(), cohort.Dataset, model, TestScratch.Root.CreateStore()));
        Assert.Contains("only 0 of the model's 1 variants", error.Message, StringComparison.Ordinal);
    }

    /// <summary>[pc][row] of a scores.tsv.</summary>
    private static double[][] ReadScores(string path)
    {
        string[][] rows = File.ReadAllLines(path).Skip(1).Select(l => l.Split('\t')).ToArray();
        return Enumerable.Range(1, rows[0].Length - 1).Select(c => rows.Select(r => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }
}
