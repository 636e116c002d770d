using GenoFlow.Core.Genotypes;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Matches an incoming release's variants to a dataset's on chrom:pos:ref:alt. A dataset variant stored with REF and
/// ALT swapped in the input is matched and flipped (2 − g). Memory: one entry per incoming variant and 8 bytes per
/// dataset variant (about 200 bytes per incoming variant in all).
/// </summary>
internal sealed class VariantMatch
{
    /// <summary>Per dataset variant: 0 when the input lacks it, else ±(incoming index + 1), negative when flipped.</summary>
    private readonly long[] _match;

    private VariantMatch(long[] match, List<long> added, long missing, long ignored, long flipped)
    {
        _match = match;
        Added = added;
        Missing = missing;
        Ignored = ignored;
        Flipped = flipped;
    }

    /// <summary>Incoming variants that become new dataset variants, in input order (empty without --add-variants).</summary>
    public IReadOnlyList<long> Added { get; }

    public long Missing { get; }

    public long Ignored { get; }

    public long Flipped { get; }

    /// <summary>The incoming variant holding dataset variant <paramref name="variant"/>'s calls, or -1; and whether it is flipped.</summary>
    public long IncomingOf(long variant, out bool flipped)
    {
        long m = _match[variant];
        flipped = m < 0;
        return Math.Abs(m) - 1;
    }

    public static VariantMatch Build(IEnumerable<VariantInfo> datasetVariants, long datasetCount, IReadOnlyList<VariantInfo> incoming, bool addVariants)
    {
        var byKey = new Dictionary<(string, long, string, string), long>(incoming.Count);
        long ignored = 0;
        for (int i = 0; i < incoming.Count; i++)
        {
            VariantInfo v = incoming[i];
            if (!byKey.TryAdd((v.Chrom, v.Position, v.Ref, v.Alt), i))
            {
                ignored++; // a repeated chrom:pos:ref:alt: the first occurrence is the one matched
            }
        }
        var matched = new bool[incoming.Count];
        var match = new long[datasetCount];
        long missing = 0, flipped = 0, index = 0;
        foreach (VariantInfo v in datasetVariants)
        {
            if (byKey.TryGetValue((v.Chrom, v.Position, v.Ref, v.Alt), out long i) && !matched[i])
            {
                match[index] = i + 1;
            }
            else if (byKey.TryGetValue((v.Chrom, v.Position, v.Alt, v.Ref), out i) && !matched[i])
            {
                match[index] = -(i + 1);
                flipped++;
            }
            else
            {
                missing++;
            }
            if (match[index] != 0)
            {
                matched[Math.Abs(match[index]) - 1] = true;
            }
            index++;
        }
        var added = new List<long>();
        foreach (long i in byKey.Values.Order())
        {
            if (!matched[i])
            {
                if (addVariants)
                {
                    added.Add(i);
                }
                else
                {
                    ignored++;
                }
            }
        }
        return new VariantMatch(match, added, missing, ignored, flipped);
    }
}
