namespace GenoFlow.LoadTests;

/// <summary>
/// The mixed jobs the harness submits (QC, PCA, k-means, training) over one simulated cohort, and their reference
/// outputs from an undisturbed embedded run: every job's output must equal them byte for byte.
/// </summary>
internal sealed class JobMix(string genoflowDll, string work)
{
    public sealed record Kind(string Name, Func<string, string[]> Args, string[] Outputs);

    public IReadOnlyList<Kind> Kinds { get; } =
    [
        new("qc", output => ["qc", Path.Combine(work, "ds"), "--no-result-store", "--out", output], ["variant_qc.tsv", "sample_qc.tsv", "variants.keep", "samples.keep"]),
        new("pca", output => ["pca", Path.Combine(work, "ds"), "-k", "3", "--seed", "5", "--out", output], ["eigenvalues.tsv", "scores.tsv", "loadings.parquet"]),
        new("kmeans", output => ["kmeans", "--input", Path.Combine(work, "reference-pca", "scores.tsv"), "--k", "3", "--seed", "4", "--rows-per-shard", "100", "--batch-size", "200", "--out", output],
            ["centroids.tsv", "assignments.tsv"]),
        new("train", output => ["train", Path.Combine(work, "ds"), "--phenotypes", Path.Combine(work, "sim", "phenotypes.tsv"), "--target", "trait_q", "--model", "linear", "--l2", "0.1",
            "--rounds", "20", "--rows-per-shard", "100", "--out", output], ["model.json", "predictions.tsv"]),
    ];

    public async Task PrepareAsync(int samples, int variants)
    {
        await GenoFlowRunner.RunOkAsync(genoflowDll, "simulate", "--out", Path.Combine(work, "sim"), "--samples", $"{samples}", "--variants", $"{variants}", "--populations", "3", "--seed", "11");
        await GenoFlowRunner.RunOkAsync(genoflowDll, "import", "--bed", Path.Combine(work, "sim", "cohort"), "--out", Path.Combine(work, "ds"), "--variants-per-tile", "250", "--samples-per-tile", "128");
        // In order: k-means reads the reference PCA's scores.
        foreach (Kind kind in Kinds)
        {
            await GenoFlowRunner.RunOkAsync(genoflowDll, kind.Args(Path.Combine(work, $"reference-{kind.Name}")));
        }
    }

    /// <summary>The first output file that differs from the reference, or null.</summary>
    public string? FirstDifference(Kind kind, string output) =>
        kind.Outputs.FirstOrDefault(file => !File.ReadAllBytes(Path.Combine(work, $"reference-{kind.Name}", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))));
}
