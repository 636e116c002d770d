using System.Runtime.InteropServices;
using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The scatters of one PCA or projection run over one dataset: X·G and Xᵀ·H as <see cref="ProductOperation"/> tile jobs,
/// each reduced in tile order. Tall matrices travel as named pieces of the <see cref="ScratchStore"/> (names below).
/// </summary>
internal sealed class PcaJob(IJobExecutor executor, Dataset dataset, ScratchStore store, CancellationToken ct)
{
    /// <summary>Per region: each variant's centre 2p and scaling 1/sqrt(2p(1−p)), interleaved (0, 0 for a variant left out).</summary>
    public static string NormalisationPiece(int region) => $"norm-r{region}";

    public static string RegionPiece(string prefix, int region) => $"{prefix}-r{region}";

    public static string BlockPiece(string prefix, int block) => $"{prefix}-b{block}";

    public IJobExecutor Executor { get; } = executor;

    public Dataset Dataset { get; } = dataset;

    public DatasetRef Reference { get; } = DatasetRef.Of(dataset);

    public ScratchStore Store { get; } = store;

    public CancellationToken Ct { get; } = ct;

    public PcaTimings Timings { get; } = new();

    /// <summary>X·G: dense pieces <c>{prefix}-b{block}</c>; <paramref name="done"/> gets each region's rows (variants × columns) in region order.</summary>
    public async Task Forward(string prefix, int columns, IReadOnlyList<int>? blocks, Action<int, double[]> done)
    {
        long started = Stopwatch.GetTimestamp();
        DatasetManifest manifest = Dataset.Manifest;
        int[] used = blocks?.ToArray() ?? Enumerable.Range(0, manifest.SampleBlockCount).ToArray();
        var tiles = new List<TileId>();
        for (int r = 0; r < manifest.Regions.Count; r++)
        {
            tiles.AddRange(used.Select(b => new TileId(r, b)));
        }
        double[]? sum = null;
        int seen = 0;
        var job = new TileJob(Reference, ProductOperation.OperationName, tiles,
            id => new ProductInput(false, columns, Store.JobId, NormalisationPiece(id.Region), BlockPiece(prefix, id.Block)).Encode());
        await Executor.RunAsync(job, (id, bytes) =>
        {
            long reduceStarted = Stopwatch.GetTimestamp();
            sum ??= new double[manifest.Regions[id.Region].VariantCount * columns];
            Timings.ForwardKernel += Add(bytes.Span, sum, id);
            if (++seen == used.Length)
            {
                done(id.Region, sum);
                sum = null;
                seen = 0;
            }
            Timings.Reduce += Stopwatch.GetElapsedTime(reduceStarted).TotalSeconds;
        }, null, Ct).ConfigureAwait(false);
        Timings.Forward += Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Xᵀ·H: dense pieces <c>{prefix}-r{region}</c>; <paramref name="done"/> gets each block's rows (samples × columns) in block order.</summary>
    public async Task Transposed(string prefix, int columns, Action<int, double[]> done)
    {
        long started = Stopwatch.GetTimestamp();
        DatasetManifest manifest = Dataset.Manifest;
        var tiles = new List<TileId>();
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            tiles.AddRange(Enumerable.Range(0, manifest.Regions.Count).Select(r => new TileId(r, b)));
        }
        double[]? sum = null;
        int seen = 0;
        var job = new TileJob(Reference, ProductOperation.OperationName, tiles,
            id => new ProductInput(true, columns, Store.JobId, NormalisationPiece(id.Region), RegionPiece(prefix, id.Region)).Encode());
        await Executor.RunAsync(job, (id, bytes) =>
        {
            long reduceStarted = Stopwatch.GetTimestamp();
            sum ??= new double[manifest.BlockSampleCount(id.Block) * columns];
            Timings.TransposedKernel += Add(bytes.Span, sum, id);
            if (++seen == manifest.Regions.Count)
            {
                done(id.Block, sum);
                sum = null;
                seen = 0;
            }
            Timings.Reduce += Stopwatch.GetElapsedTime(reduceStarted).TotalSeconds;
        }, null, Ct).ConfigureAwait(false);
        Timings.Transposed += Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Adds a partial's floats into <paramref name="sum"/>; returns the kernel seconds that trail them.</summary>
    private static double Add(ReadOnlySpan<byte> bytes, double[] sum, TileId id)
    {
        if (bytes.Length != (long)sum.Length * sizeof(float) + sizeof(double))
        {
            throw new InvalidDataException($"tile {id}: a product partial of {bytes.Length} bytes, expected {sum.Length} floats and the kernel time");
        }
        ReadOnlySpan<float> partial = MemoryMarshal.Cast<byte, float>(bytes[..(sum.Length * sizeof(float))]);
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] += partial[i];
        }
        return BitConverter.ToDouble(bytes[(sum.Length * sizeof(float))..]);
    }
}
