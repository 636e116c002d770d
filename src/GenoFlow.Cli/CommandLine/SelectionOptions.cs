using GenoFlow.Analysis.Qc;
using GenoFlow.Analysis.Stages;
using GenoFlow.Core.Storage;

namespace GenoFlow.Cli.CommandLine;

/// <summary>The variants and samples a command's <c>--keep-qc DIR</c> and <c>--extract FILE</c> select.</summary>
internal static class SelectionOptions
{
    public static DatasetSelection Load(Dataset dataset, string? qcDirectory, FileInfo? extract)
    {
        DatasetSelection selection = qcDirectory is null ? DatasetSelection.All : DatasetSelection.Kept(QcFilter.Load(qcDirectory, dataset), dataset);
        if (extract is null)
        {
            return selection;
        }
        if (!extract.Exists)
        {
            throw new CliUsageException($"--extract {extract.FullName}: no such file");
        }
        return selection.AndVariantIds(dataset, IdList.Read(extract.FullName));
    }
}
