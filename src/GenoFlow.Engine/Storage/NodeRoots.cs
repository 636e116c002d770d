using GenoFlow.Analysis.Execution;

namespace GenoFlow.Engine.Storage;

/// <summary>Everything on the filesystem a node may touch for a message: datasets under its data roots, job pieces and shard sets under its scratch root.</summary>
public sealed record NodeRoots(DataRoots Data, ScratchRoot Scratch)
{
    public static NodeRoots None { get; } = new(DataRoots.None, ScratchRoot.None);
}
