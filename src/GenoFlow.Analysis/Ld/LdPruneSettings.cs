using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Ld;

/// <summary>
/// <c>plink2 --indep-pairwise</c> parameters. The window is either <see cref="WindowVariants"/> variants or
/// <see cref="WindowKb"/> kilobases (then <see cref="Step"/> must be 1, as plink2 requires); a pair is pruned when its
/// r² is above <see cref="R2"/>.
/// </summary>
public sealed record LdPruneSettings(int? WindowVariants = 50, int? WindowKb = null, int Step = 5, double R2 = 0.5)
{
    /// <summary>
    /// The most variants one window may hold. It bounds every tile partial (pairs per variant) and the coordinator's
    /// pair bits; a --window-kb that puts more variants in a window is refused.
    /// </summary>
    public const int MaxWindowVariants = 1000;

    /// <summary>Settings from optional values, with plink2's defaults: a window of 50 variants stepped by 5, or a window in kb stepped by 1; r² 0.5.</summary>
    public static LdPruneSettings Of(int? windowVariants, int? windowKb, int? step, double? r2) =>
        new(windowKb is null ? windowVariants ?? 50 : null, windowKb, step ?? (windowKb is null ? 5 : 1), r2 ?? 0.5);

    /// <summary>Throws <see cref="StageParameterException"/> with plink2's rule that was broken.</summary>
    public void Validate()
    {
        if ((WindowVariants is null) == (WindowKb is null))
        {
            throw new StageParameterException("window-kb", "or window-variants: give exactly one of them");
        }
        if (WindowVariants is { } w && (w < 1 || w > MaxWindowVariants))
        {
            throw new StageParameterException("window-variants", $"must be between 1 and {MaxWindowVariants}");
        }
        if (WindowKb is { } kb && (kb < 1 || kb > 1_000_000))
        {
            throw new StageParameterException("window-kb", "must be between 1 and 1000000");
        }
        if (WindowKb is not null && Step != 1)
        {
            throw new StageParameterException("step", "must be 1 when the window size is in kb (as plink2 --indep-pairwise requires)");
        }
        if (Step < 1 || (WindowVariants is { } size && Step > size))
        {
            throw new StageParameterException("step", "must be at least 1 and cannot be larger than the window size (as plink2)");
        }
        if (!(R2 >= 0 && R2 <= 1))
        {
            throw new StageParameterException("r2", "must be between 0 and 1");
        }
    }

    public override string ToString() =>
        (WindowKb is { } kb ? $"window {kb} kb" : $"window {WindowVariants} variants") + $", step {Step}, r2 > {R2}";
}
