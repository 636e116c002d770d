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
    public Task Forward(string prefix, int columns, IReadOnlyList<int>? blocks, Action<int, double[]> done) =>
        Forward(prefix, columns, blocks, Enumerable.Range(0, Dataset.Manifest.Regions.Count), done);

    /// <summary>
    /// XᵀX·G as <see cref="Forward"/> and then <see cref="Transposed"/> compute it, reading each tile once instead of
    /// twice: region by region, X_r·G over the region's tiles and then X_rᵀ·H_r over the same tiles while the tile cache
    /// still holds them (a region's tiles are about 100 MB at 100,000 samples, inside the default cache, where a whole
    /// dataset outgrows it and every pass re-read every tile). Forward products of different regions are independent:
    /// X_{r+2}·G starts as soon as X_rᵀ·H_r has finished, so at most two regions' tiles are in use at once and no core
    /// waits for the slowest tile of a region before the next region's work can start. X_rᵀ·H_r starts when H_r is
    /// complete and the previous region's Xᵀ·H has finished: each block's sum adds the regions' partials in region order,
    /// as Transposed does, so the sums are the same bits. <paramref name="regionDone"/> gets H_r (for two regions at
    /// once) and must store it as <c>{regionPrefix}-r{region}</c>; <paramref name="blockDone"/> gets the block sums at
    /// the end, for several blocks at once.
    /// </summary>
    public async Task ForwardThenTransposed(string densePrefix, string regionPrefix, int columns, Action<int, double[]> regionDone, Action<int, double[]> blockDone)
    {
        DatasetManifest manifest = Dataset.Manifest;
        int regions = manifest.Regions.Count;
        double[][] sums = Enumerable.Range(0, manifest.SampleBlockCount).Select(b => new double[manifest.BlockSampleCount(b) * columns]).ToArray();
        var forwards = new Task?[regions];
        Task transposed = Task.CompletedTask;
        try
        {
            for (int r = 0; r < Math.Min(2, regions); r++)
            {
                forwards[r] = Forward(densePrefix, columns, null, [r], regionDone);
            }
            for (int r = 0; r < regions; r++)
            {
                await forwards[r]!.ConfigureAwait(false);
                await transposed.ConfigureAwait(false);
                transposed = AddTransposed(regionPrefix, columns, r, sums);
                if (r + 2 < regions)
                {
                    forwards[r + 2] = ForwardAfter(transposed, densePrefix, columns, r + 2, regionDone);
                }
            }
            await transposed.ConfigureAwait(false);
        }
        finally
        {
            // A failed or cancelled scatter leaves others in flight: they end before the job's scratch goes.
            await Task.WhenAll(forwards.OfType<Task>().Append(transposed)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        long reduceStarted = Stopwatch.GetTimestamp();
        Parallel.For(0, sums.Length, new ParallelOptions { CancellationToken = Ct }, b => blockDone(b, sums[b]));
        AddTime(() => Timings.Reduce += Stopwatch.GetElapsedTime(reduceStarted).TotalSeconds);
    }

    private async Task ForwardAfter(Task previous, string prefix, int columns, int region, Action<int, double[]> done)
    {
        await previous.ConfigureAwait(false);
        await Forward(prefix, columns, null, [region], done).ConfigureAwait(false);
    }

    private async Task Forward(string prefix, int columns, IReadOnlyList<int>? blocks, IEnumerable<int> regions, Action<int, double[]> done)
    {
        DatasetManifest manifest = Dataset.Manifest;
        int[] used = blocks?.ToArray() ?? Enumerable.Range(0, manifest.SampleBlockCount).ToArray();
        var tiles = new List<TileId>();
        foreach (int r in regions)
        {
            tiles.AddRange(used.Select(b => new TileId(r, b)));
        }
        double[]? sum = null;
        int seen = 0;
        await RunProducts(false, prefix, columns, tiles, id => sum ??= new double[manifest.Regions[id.Region].VariantCount * columns], id =>
        {
            if (++seen == used.Length)
            {
                done(id.Region, sum!);
                sum = null;
                seen = 0;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Xᵀ·H: dense pieces <c>{prefix}-r{region}</c>; <paramref name="done"/> gets each block's rows (samples × columns) in block order.</summary>
    public async Task Transposed(string prefix, int columns, Action<int, double[]> done)
    {
        DatasetManifest manifest = Dataset.Manifest;
        var tiles = new List<TileId>();
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            tiles.AddRange(Enumerable.Range(0, manifest.Regions.Count).Select(r => new TileId(r, b)));
        }
        double[]? sum = null;
        int seen = 0;
        await RunProducts(true, prefix, columns, tiles, id => sum ??= new double[manifest.BlockSampleCount(id.Block) * columns], id =>
        {
            if (++seen == manifest.Regions.Count)
            {
                done(id.Block, sum!);
                sum = null;
                seen = 0;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Xᵀ·H over one region's tiles (dense piece <c>{prefix}-r{region}</c>), each block's partial added into its sum.</summary>
    private Task AddTransposed(string prefix, int columns, int region, double[][] sums) =>
        RunProducts(true, prefix, columns, [.. Enumerable.Range(0, sums.Length).Select(b => new TileId(region, b))], id => sums[id.Block], null);

    /// <summary>
    /// One scatter of <see cref="ProductOperation"/> over <paramref name="tiles"/>: forward products read the dense piece
    /// <c>{prefix}-b{block}</c>, transposed ones <c>{prefix}-r{region}</c>. Each partial, in tile order, is added into
    /// the sum <paramref name="sumFor"/> gives, then <paramref name="added"/> is told; kernel, reduce and wall seconds go
    /// to <see cref="Timings"/>.
    /// </summary>
    private async Task RunProducts(bool transposed, string prefix, int columns, IReadOnlyList<TileId> tiles, Func<TileId, double[]> sumFor, Action<TileId>? added)
    {
        long started = Stopwatch.GetTimestamp();
        var job = new TileJob(Reference, ProductOperation.OperationName, tiles,
            id => new ProductInput(transposed, columns, Store.JobId, NormalisationPiece(id.Region), transposed ? RegionPiece(prefix, id.Region) : BlockPiece(prefix, id.Block)).Encode());
        await Executor.RunAsync(job, (id, bytes) =>
        {
            long reduceStarted = Stopwatch.GetTimestamp();
            double kernel = Add(bytes.Span, sumFor(id), id);
            added?.Invoke(id);
            AddTime(() =>
            {
                if (transposed)
                {
                    Timings.TransposedKernel += kernel;
                }
                else
                {
                    Timings.ForwardKernel += kernel;
                }
                Timings.Reduce += Stopwatch.GetElapsedTime(reduceStarted).TotalSeconds;
            });
        }, null, Ct).ConfigureAwait(false);
        AddTime(() =>
        {
            if (transposed)
            {
                Timings.Transposed += Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
            else
            {
                Timings.Forward += Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
        });
    }

    /// <summary>Timings are added from the reduces of two scatters at once (<see cref="ForwardThenTransposed"/>).</summary>
    private void AddTime(Action add)
    {
        lock (Timings)
        {
            add();
        }
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
