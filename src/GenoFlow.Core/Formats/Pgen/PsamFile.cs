using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Formats.Pgen;

/// <summary>
/// A .psam: <c>##</c> lines, a header line starting <c>#FID</c> or <c>#IID</c> (columns FID, IID, SID, PAT, MAT, SEX
/// and phenotypes, any but IID optional), then one sample per line. Without a header the file is read as a .fam. A
/// missing FID is 0, as in the .fam plink2 writes; SEX 1 or 2 is kept, anything else is unknown; the first phenotype
/// column becomes the .fam phenotype (NA as -9).
/// </summary>
internal static class PsamFile
{
    public static List<SampleInfo> Read(string path)
    {
        using var reader = new StreamReader(PlinkFile.OpenRead(path), bufferSize: 1 << 16);
        string? line;
        long lineNumber = 0;
        while ((line = reader.ReadLine()) is not null && line.StartsWith("##", StringComparison.Ordinal))
        {
            lineNumber++;
        }
        string[] names;
        bool header = line is not null && (line.StartsWith("#FID", StringComparison.Ordinal) || line.StartsWith("#IID", StringComparison.Ordinal));
        if (header)
        {
            lineNumber++;
            names = line![1..].Split('\t', ' ');
            line = reader.ReadLine();
        }
        else
        {
            names = ["FID", "IID", "PAT", "MAT", "SEX", "PHENO1"];
        }
        int fid = Array.IndexOf(names, "FID");
        int iid = Array.IndexOf(names, "IID");
        int pat = Array.IndexOf(names, "PAT");
        int mat = Array.IndexOf(names, "MAT");
        int sex = Array.IndexOf(names, "SEX");
        int pheno = Enumerable.Range(0, names.Length).FirstOrDefault(i => i > Math.Max(Math.Max(iid, sex), Math.Max(pat, mat)) && names[i] != "SID", -1);

        var samples = new List<SampleInfo>();
        var lineOfId = new Dictionary<string, long>(StringComparer.Ordinal);
        for (; line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (PlinkText.IsBlank(line))
            {
                continue;
            }
            string[] f = line.Split(header ? ['\t'] : [' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < names.Length)
            {
                throw new GenoFlowFormatException(path, $"expected {names.Length} columns, found {f.Length}", lineNumber);
            }
            string id = f[iid];
            string familyKey = (fid >= 0 ? f[fid] : "0") + "\t" + id;
            if (!lineOfId.TryAdd(familyKey, lineNumber))
            {
                throw new GenoFlowFormatException(path, $"sample '{id}' appears on line {lineOfId[familyKey]} and again on line {lineNumber}", lineNumber);
            }
            int sexCode = sex < 0 ? 0 : f[sex] switch { "1" => 1, "2" => 2, _ => 0 };
            string phenotype = pheno < 0 || f[pheno] == "NA" ? "-9" : f[pheno];
            samples.Add(new SampleInfo(fid >= 0 ? f[fid] : "0", id, pat >= 0 ? f[pat] : "0", mat >= 0 ? f[mat] : "0", sexCode, phenotype));
        }
        if (samples.Count == 0)
        {
            throw new GenoFlowFormatException(path, "the .psam file holds no samples");
        }
        return samples;
    }
}
