namespace GenoFlow.Core.Storage;

/// <summary>How an incoming release joins a dataset (<see cref="ReleaseAppender"/>).</summary>
/// <param name="Release">The new release's label; unique within the dataset (<see cref="ReleaseLabel"/>).</param>
/// <param name="AddVariants">Incoming variants the dataset lacks become new regions for all samples (missing for samples
/// the input does not hold); without it they are ignored and counted.</param>
/// <param name="ReplaceSamples">Incoming samples already in the dataset replace their calls at the dataset's variants;
/// without it such samples are refused (unless <paramref name="AddVariants"/>, when they only bring their calls at the new
/// variants).</param>
public sealed record AppendOptions(string Release, bool AddVariants = false, bool ReplaceSamples = false);
