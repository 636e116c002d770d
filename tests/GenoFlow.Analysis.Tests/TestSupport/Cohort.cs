using GenoFlow.Core.Formats.Plink;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Simulation;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Tests.TestSupport;

/// <summary>A simulated cohort written as a PLINK bed fileset and imported into a dataset with small tiles.</summary>
public static class Cohort
{
    /// <summary>Returns the bed prefix and the opened dataset.</summary>
    public static (string BedPrefix, Dataset Dataset) Create(string directory, CohortSettings settings, int variantsPerTile, int samplesPerTile)
    {
        string prefix = Path.Combine(directory, "cohort");
        var simulator = new CohortSimulator(settings);
        using (BedWriter bed = BedWriter.Create(prefix, simulator.Samples))
        {
            simulator.Run([bed], Path.Combine(directory, "phenotypes.tsv"));
            bed.Complete();
        }
        return (prefix, Import(prefix, directory, variantsPerTile, samplesPerTile));
    }

    /// <summary>Imports the bed fileset at <paramref name="prefix"/> into <c>directory/dataset</c> and opens it.</summary>
    public static Dataset Import(string prefix, string directory, int variantsPerTile, int samplesPerTile)
    {
        string datasetPath = Path.Combine(directory, "dataset");
        using (BedReader reader = BedReader.Open(prefix))
        using (DatasetWriter writer = DatasetWriter.Create(datasetPath, reader.Samples, new DatasetWriteOptions(variantsPerTile, samplesPerTile)))
        {
            GenotypeCopy.CopyAll(reader, writer);
            writer.Complete();
        }
        return Dataset.Open(datasetPath);
    }
}
