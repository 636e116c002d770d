using System.Buffers.Binary;
using System.Collections.Concurrent;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Shards;
using GenoFlow.Core.Kernels;

namespace GenoFlow.Engine.Tests.Support;

/// <summary>Per-variant genotype counts of a tile (hom ref, het, hom alt, missing as int32 each), plus the tile's input length.</summary>
internal sealed class VariantCountsOperation : ITileOperation
{
    public const string WireName = "test.variant-counts/1";

    public string Name => WireName;

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input)
    {
        var partial = new byte[4 + (16 * tile.VariantCount)];
        BinaryPrimitives.WriteInt32LittleEndian(partial, input.Length);
        for (int v = 0; v < tile.VariantCount; v++)
        {
            var counts = VariantCounter.CountUnsafe(tile.Row(v), tile.SampleCount);
            Span<byte> at = partial.AsSpan(4 + (16 * v));
            BinaryPrimitives.WriteInt32LittleEndian(at, (int)counts.HomRef);
            BinaryPrimitives.WriteInt32LittleEndian(at[4..], (int)counts.Het);
            BinaryPrimitives.WriteInt32LittleEndian(at[8..], (int)counts.HomAlt);
            BinaryPrimitives.WriteInt32LittleEndian(at[12..], (int)counts.Missing);
        }
        return partial;
    }
}

/// <summary>Variant counts, but the first <see cref="FailingAttempts"/> attempts on each tile throw a transient error.</summary>
internal sealed class FlakyOperation(int failingAttempts) : ITileOperation
{
    public const string WireName = "test.flaky/1";

    private readonly VariantCountsOperation _counts = new();
    private readonly ConcurrentDictionary<TileId, int> _attempts = new();

    public int FailingAttempts { get; } = failingAttempts;

    public string Name => WireName;

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input)
    {
        int attempt = _attempts.AddOrUpdate(tile.Id, 1, (_, n) => n + 1);
        if (attempt <= FailingAttempts)
        {
            throw new IOException($"transient: attempt {attempt} on {tile.Id}");
        }
        return _counts.Run(tile, input);
    }
}

/// <summary>A sample shard's digest: its index and rows, the sum of its values, and every row's packed genotypes.</summary>
internal sealed class ShardDigestOperation : ISampleShardOperation
{
    public const string WireName = "test.shard-digest/1";

    public string Name => WireName;

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input)
    {
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write(shard.Index);
        writer.Write(shard.Rows);
        double sum = 0;
        foreach (double v in shard.Values)
        {
            sum += v;
        }
        writer.Write(sum);
        writer.Write(input.Length);
        for (int r = 0; r < shard.Rows; r++)
        {
            writer.Write(shard.Genotypes!.Row(r));
        }
        writer.Flush();
        return output.ToArray();
    }
}

internal static class TestOperations
{
    public static OperationRegistry Registry(params ITileOperation[] extra) => new([new VariantCountsOperation(), .. extra], [new ShardDigestOperation()]);
}

/// <summary>
/// Stands in for a node that takes requests and never answers: under the variant-counts and shard-digest wire names,
/// it reports that it got a request and then holds the thread until released (so a test can take the node away mid-job).
/// </summary>
internal sealed class UnansweredOperation : ITileOperation, ISampleShardOperation, IDisposable
{
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    string ITileOperation.Name => VariantCountsOperation.WireName;

    string ISampleShardOperation.Name => ShardDigestOperation.WireName;

    /// <summary>Completes when the first request arrived.</summary>
    public Task Started => _started.Task;

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input) => Hold($"tile {tile.Id}");

    public byte[] Run(SampleShard shard, ReadOnlySpan<byte> input) => Hold($"sample shard {shard.Index}");

    private byte[] Hold(string unit)
    {
        _started.TrySetResult();
        _release.Wait(TimeSpan.FromSeconds(60));
        throw new InvalidOperationException($"released without answering {unit}");
    }

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }
}
