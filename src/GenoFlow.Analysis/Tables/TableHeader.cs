namespace GenoFlow.Analysis.Tables;

/// <summary>The sample id column rule of <see cref="SampleTable"/>: <c>sample_id</c>, else <c>IID</c>, else the first column.</summary>
internal static class TableHeader
{
    public const string SampleId = "sample_id";

    /// <summary>PLINK's name for the individual id (.fam, .psam, --pheno files).</summary>
    public const string PlinkId = "IID";

    public static int IdColumn(IReadOnlyList<string> names)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == SampleId)
            {
                return i;
            }
        }
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == PlinkId)
            {
                return i;
            }
        }
        return 0;
    }
}
