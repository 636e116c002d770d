namespace GenoFlow.Analysis.Qc;

public enum QcFormat
{
    Tsv,
    Parquet,
}
