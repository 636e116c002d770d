using GenoFlow.Analysis.Output;
using GenoFlow.Core.Formats.Bgen;
using GenoFlow.Core.Formats.Pgen;
using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Formats.Vcf;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Releases;

/// <summary>
/// One release waiting in a releases directory (<c>genoflow watch --releases DIR</c>), named by its label: a
/// subdirectory LABEL holding one genotype input, or a file set LABEL.* beside the others. An input is a PLINK 1 fileset
/// (PREFIX.bed/.bim/.fam), VCF files (*.vcf, *.vcf.gz, read in name order), a PLINK 2 fileset (PREFIX.pgen/.pvar[.zst]/.psam)
/// or a BGEN file (with PREFIX.sample when present). Releases are processed in label order (ordinal).
/// </summary>
public sealed record ReleaseInput(string Label, string Kind, IReadOnlyList<string> Paths, string? Problem = null)
{
    /// <summary>The release inputs in <paramref name="directory"/>, in label order; one that cannot be read carries its problem.</summary>
    public static IReadOnlyList<ReleaseInput> Find(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"releases directory {directory} does not exist");
        }
        var inputs = new Dictionary<string, ReleaseInput>(StringComparer.Ordinal);
        foreach (string sub in Directory.EnumerateDirectories(directory).Where(d => !Path.GetFileName(d).StartsWith('.')))
        {
            string label = Path.GetFileName(sub);
            inputs[label] = Describe(label, Directory.EnumerateFiles(sub).ToList(), $"release directory {sub}");
        }
        foreach (IGrouping<string, string> set in Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).GroupBy(LabelOf))
        {
            if (!inputs.ContainsKey(set.Key))
            {
                inputs[set.Key] = Describe(set.Key, set.ToList(), $"release file set {Path.Join(directory, set.Key)}.*");
            }
        }
        return inputs.Values.OrderBy(i => i.Label, StringComparer.Ordinal).ToList();
    }

    /// <summary>What identifies the input's content cheaply: paths, sizes and modification times (a changed file is retried).</summary>
    public string Identity() => Digests.OfText(string.Join("\n", Paths.Select(p => $"{p}\t{new FileInfo(p).Length}\t{File.GetLastWriteTimeUtc(p):O}")));

    public IGenotypeReader OpenReader() => Kind switch
    {
        "bed" => BedReader.Open(Paths[0]),
        "vcf" => VcfReader.Open(Paths),
        "pgen" => PgenReader.Open(Paths[0]),
        "bgen" => BgenReader.Open(Paths[0], Paths.Count > 1 ? Paths[1] : null),
        _ => throw new InvalidOperationException($"release {Label} has no readable input: {Problem}"),
    };

    /// <summary>The label a file belongs to: its name before the first '.' (LABEL.bed, LABEL.vcf.gz, ...).</summary>
    private static string LabelOf(string file)
    {
        string name = Path.GetFileName(file);
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }

    private static ReleaseInput Describe(string label, List<string> files, string where)
    {
        if (ReleaseLabel.Problem(label) is { } labelProblem)
        {
            return new ReleaseInput(label, "", files, $"{where}: {labelProblem}");
        }
        files.Sort(StringComparer.Ordinal);
        string? Prefix(string extension) => files.FirstOrDefault(f => f.EndsWith(extension, StringComparison.Ordinal)) is { } f ? f[..^extension.Length] : null;
        var vcfs = files.Where(f => f.EndsWith(".vcf", StringComparison.Ordinal) || f.EndsWith(".vcf.gz", StringComparison.Ordinal)).ToList();
        var found = new List<ReleaseInput>();
        if (Prefix(".bed") is { } bed)
        {
            found.Add(new ReleaseInput(label, "bed", [bed]));
        }
        if (vcfs.Count > 0)
        {
            found.Add(new ReleaseInput(label, "vcf", vcfs));
        }
        if (Prefix(".pgen") is { } pgen)
        {
            found.Add(new ReleaseInput(label, "pgen", [pgen]));
        }
        if (Prefix(".bgen") is { } bgen)
        {
            found.Add(new ReleaseInput(label, "bgen", File.Exists(bgen + ".sample") ? [bgen + ".bgen", bgen + ".sample"] : [bgen + ".bgen"]));
        }
        return found.Count == 1 ? found[0]
            : new ReleaseInput(label, "", files, found.Count == 0
                ? $"{where} holds no genotype input (expected PREFIX.bed/.bim/.fam, *.vcf[.gz], PREFIX.pgen/.pvar/.psam or *.bgen)"
                : $"{where} holds more than one kind of genotype input ({string.Join(", ", found.Select(f => f.Kind))}); give one per release");
    }
}
