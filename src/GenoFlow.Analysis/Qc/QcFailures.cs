namespace GenoFlow.Analysis.Qc;

/// <summary>The variant filters a variant fails.</summary>
[Flags]
public enum QcFailures : byte
{
    None = 0,
    Maf = 1,
    Missing = 2,
    Hwe = 4,
}
