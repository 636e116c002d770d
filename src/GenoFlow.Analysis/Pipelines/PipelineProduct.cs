namespace GenoFlow.Analysis.Pipelines;

/// <summary>What an input or a stage gives to the stages that refer to it.</summary>
public enum PipelineProduct
{
    /// <summary>A GenoFlow dataset: dataset, bed, vcf and simulate inputs.</summary>
    Dataset,
    /// <summary>A sample table (phenotypes, covariates, scores): table and simulate inputs.</summary>
    SampleTable,
    /// <summary>The variants and samples a qc stage kept.</summary>
    QcSelection,
    /// <summary>The variants an ld-prune stage kept.</summary>
    VariantSelection,
    /// <summary>A PCA model (loadings, frequencies, scaling) to project other datasets on.</summary>
    PcaModel,
    /// <summary>Principal component scores per sample: pca and project stages.</summary>
    Scores,
    /// <summary>Cluster assignments: kmeans stages.</summary>
    Clusters,
    /// <summary>A trained linear or logistic model: train stages.</summary>
    TrainedModel,
    /// <summary>Predictions per sample: predict stages.</summary>
    Predictions,
}
