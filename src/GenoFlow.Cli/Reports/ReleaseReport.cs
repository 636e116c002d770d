using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.Reports;

/// <summary>What an appended release did, and a dataset's release history, as `import --append-to`, `info` and `releases list` print them.</summary>
internal static class ReleaseReport
{
    public static void Print(string dataset, ReleaseInfo release)
    {
        TextWriter output = Console.Out;
        output.WriteLine($"appended release {release.Label} to {dataset}: now {release.SampleCount:N0} samples x {release.VariantCount:N0} variants");
        output.WriteLine($"  added {release.AddedSamples:N0} samples, {release.AddedVariants:N0} variants; replaced the calls of {release.ReplacedSamples:N0} samples");
        output.WriteLine($"  wrote {release.WrittenTiles:N0} tiles and {release.WrittenBytes / 1e6:F1} MB; every other tile is shared with the previous release");
        output.WriteLine($"  variants: {release.FlippedVariants:N0} matched with REF/ALT swapped (flipped), {release.MissingVariants:N0} absent from the release (missing calls for its samples), {release.IgnoredVariants:N0} not in the dataset or repeated (ignored)");
    }

    public static void History(TextWriter output, Dataset dataset)
    {
        output.WriteLine("releases:");
        output.WriteLine($"  {"label",-20} {"gen",4} {"appended (UTC)",-20} {"samples",10} {"variants",12} {"+samples",9} {"+variants",10} {"tiles written",13} {"MB written",10}  opens as");
        foreach (ReleaseInfo r in dataset.Manifest.History)
        {
            string opens = !dataset.IsKept(r) ? "(pruned)" : r.Generation == dataset.Manifest.Generation ? "DATASET" : "DATASET@" + r.Label;
            output.WriteLine($"  {r.Label,-20} {r.Generation,4} {r.AppendedAt ?? "(import)",-20} {r.SampleCount,10:N0} {r.VariantCount,12:N0} {r.AddedSamples,9:N0} {r.AddedVariants,10:N0} {r.WrittenTiles,13:N0} {r.WrittenBytes / 1e6,10:F1}  {opens}");
        }
    }
}
