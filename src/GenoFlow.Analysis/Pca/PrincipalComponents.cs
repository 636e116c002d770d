using System.Runtime.InteropServices;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Qc;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;
using MathNet.Numerics.LinearAlgebra;
using GenoFlow.Analysis.Stages;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// PCA of the HWE-normalised matrix X (M variants × N samples): x = (g − 2p)/sqrt(2p(1−p)), g the ALT count, p the ALT
/// frequency over the called genotypes of the kept samples, missing → 0, monomorphic variants dropped. Eigenvalues are
/// those of XᵀX/M (the GRM, PLINK 2's scale); scores are its unit-norm eigenvectors.
/// <para>
/// Every pass is a scatter of <see cref="ProductOperation"/>: X·G reduced over blocks per region (region-major tile order)
/// or Xᵀ·H reduced over regions per block (block-major). Tall matrices live only as pieces in the
/// <see cref="ScratchStore"/>; the coordinator holds one region's or one block's rows at a time and the small l × l
/// factors. Randomized: block Krylov (block Lanczos with full reorthogonalisation; Musco &amp; Musco 2015) with a
/// tall-skinny QR per block, until the top-K Ritz values change by less than the tolerance. Exact: the GRM assembled
/// 64 columns at a time from the same products, eigen-decomposed with MathNet.
/// </para>
/// </summary>
public static class PrincipalComponents
{
    private const int ExactChunk = 64;

    public static async Task<PcaResult> RunAsync(IJobExecutor executor, Dataset dataset, PcaSettings settings, ScratchStore store,
        bool[]? variantKeep = null, bool[]? sampleKeep = null, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        settings.Validate();
        var job = new Job(executor, dataset, store, ct);
        bool[] samples = sampleKeep ?? Enumerable.Repeat(true, dataset.SampleCount).ToArray();
        int kept = samples.Count(k => k);
        if (settings.Method == PcaMethod.Exact && kept > PcaSettings.ExactMaxSamples)
        {
            throw new StageParameterException("method", $"exact builds the {kept:N0} x {kept:N0} GRM in memory and is limited to {PcaSettings.ExactMaxSamples:N0} samples; use method randomized");
        }
        var (frequency, scaling, trace, used) = await Normalise(job, samples, variantKeep).ConfigureAwait(false);
        int columns = settings.Method == PcaMethod.Exact ? settings.K : settings.Columns;
        if (used < columns || kept < columns)
        {
            throw new StageException($"PCA with {(settings.Method == PcaMethod.Exact ? "" : "K + oversampling = ")}{columns} components needs at least that many variants and samples; {used:N0} polymorphic variants and {kept:N0} samples are kept");
        }
        progress?.Report(0.05);
        var (eigenvalues, iterations, converged) = settings.Method == PcaMethod.Exact
            ? (await Exact(job, settings, samples, used).ConfigureAwait(false), 0, true)
            : await Randomized(job, settings, samples, used, progress).ConfigureAwait(false);
        await Loadings(job, settings.K, eigenvalues, used).ConfigureAwait(false);
        progress?.Report(1);
        return new PcaResult(settings, eigenvalues, trace, iterations, converged, used, frequency, scaling, samples, store);
    }

    /// <summary>Allele frequencies over the kept samples, the per-region normalisation pieces, and the GRM trace.</summary>
    private static async Task<(double[] Frequency, double[] Scaling, double Trace, long Used)> Normalise(Job job, bool[] samples, bool[]? variantKeep)
    {
        DatasetManifest manifest = job.Dataset.Manifest;
        int variants = checked((int)job.Dataset.VariantCount);
        var homRef = new long[variants];
        var het = new long[variants];
        var missing = new long[variants];
        var masks = new byte[manifest.SampleBlockCount][];
        var keptInBlock = new int[manifest.SampleBlockCount];
        for (int b = 0; b < masks.Length; b++)
        {
            int count = manifest.BlockSampleCount(b);
            masks[b] = new byte[PackedGenotypes.RowBytes(count)];
            for (int s = 0; s < count; s++)
            {
                if (samples[b * manifest.SamplesPerTile + s])
                {
                    PackedGenotypes.SetCode(masks[b], s, 0b11);
                    keptInBlock[b]++;
                }
            }
        }
        var tiles = TileGrid.All(job.Dataset);
        await job.Executor.RunAsync(new TileJob(job.Reference, QcCountsOperation.OperationName, tiles, id => masks[id.Block]), (id, bytes) =>
        {
            QcPartial partial = QcPartial.Decode(bytes.Span);
            int first = checked((int)manifest.Regions[id.Region].FirstVariant);
            for (int v = 0; v < partial.VariantCount; v++)
            {
                homRef[first + v] += partial.VariantHomRef[v];
                het[first + v] += partial.VariantHet[v];
                missing[first + v] += partial.VariantMissing[v];
            }
        }, null, job.Ct).ConfigureAwait(false);
        long keptTotal = keptInBlock.Sum();
        var frequency = new double[variants];
        var scaling = new double[variants];
        var centers = new double[variants];
        double sumSquares = 0;
        long used = 0;
        for (int v = 0; v < variants; v++)
        {
            long called = keptTotal - missing[v];
            long homAlt = called - homRef[v] - het[v];
            double p = called == 0 ? double.NaN : (het[v] + 2.0 * homAlt) / (2.0 * called);
            frequency[v] = p;
            centers[v] = 2 * p;
            if ((variantKeep is null || variantKeep[v]) && p > 0 && p < 1)
            {
                double s = 1 / Math.Sqrt(2 * p * (1 - p));
                scaling[v] = s;
                used++;
                sumSquares += s * s * (homRef[v] * 4 * p * p + het[v] * (1 - 2 * p) * (1 - 2 * p) + homAlt * (2 - 2 * p) * (2 - 2 * p));
            }
            else
            {
                centers[v] = 0;
            }
        }
        for (int r = 0; r < manifest.Regions.Count; r++)
        {
            RegionInfo region = manifest.Regions[r];
            var piece = new double[2 * region.VariantCount];
            for (int v = 0; v < region.VariantCount; v++)
            {
                piece[2 * v] = centers[region.FirstVariant + v];
                piece[2 * v + 1] = scaling[region.FirstVariant + v];
            }
            job.Store.Write<double>(NormalisationPiece(r), piece);
        }
        return (frequency, scaling, used == 0 ? 0 : sumSquares / used, used);
    }

    /// <summary>
    /// Randomized block Krylov (block Lanczos with full reorthogonalisation; Musco &amp; Musco 2015): Q₁ = orth(Π) for a
    /// random start block Π, then each iteration i computes W = XᵀX Qᵢ (two scatters), projects it on every earlier
    /// block (the coefficients Qⱼᵀ W are the block column i of T = Qᵀ XᵀX Q) and orthonormalises the rest into Qᵢ₊₁ by
    /// a tall-skinny QR. The Ritz values of T after every iteration cost no extra pass over the genotypes, and they
    /// converge far faster than subspace iteration's when eigenvalues sit close together (the noise bulk past the
    /// population PCs), which is what sets the iteration count.
    /// </summary>
    private static async Task<(double[] Eigenvalues, int Iterations, bool Converged)> Randomized(Job job, PcaSettings settings, bool[] samples, long used, IProgress<double>? progress)
    {
        int l = settings.Columns;
        DatasetManifest manifest = job.Dataset.Manifest;
        int blocks = manifest.SampleBlockCount;
        int kept = samples.Count(k => k);
        var start = new TallSkinnyQr(job.Store, "P", l);
        for (int b = 0; b < blocks; b++)
        {
            start.Add(b, StartBlock(settings.Seed, manifest.BlockSampleCount(b), b * manifest.SamplesPerTile, samples, l).Select(x => (double)x).ToArray());
        }
        start.Finish(b => BlockPiece("Q1", b));
        // The Krylov basis can never outgrow the rank of X: stop before it would.
        int maxIterations = (int)Math.Max(1, Math.Min(settings.MaxIterations, (Math.Min(kept, used) - 1) / l));
        var coefficients = new List<Matrix<double>[]>();
        double[] previous = [];
        double[] ritz = [];
        Matrix<double> ritzVectors = Matrix<double>.Build.Dense(l, settings.K);
        int iteration = 0;
        bool converged = false;
        while (!converged && iteration < maxIterations)
        {
            iteration++;
            int i = iteration;
            await job.Forward($"Q{i}", l, null, (r, y) => job.Store.Write<float>(RegionPiece($"H{i}", r), y.Select(x => (float)x).ToArray())).ConfigureAwait(false);
            Matrix<double>[] projection = Zeros(i, l);
            await job.Transposed($"H{i}", l, (b, z) =>
            {
                ZeroLeftOut(z, b, manifest, samples, l);
                job.Store.Write<double>(BlockPiece($"W{i}", b), z);
                AddProjections(job.Store, i, b, z, l, projection);
            }).ConfigureAwait(false);
            coefficients.Add(projection);
            (ritz, ritzVectors) = RitzPairs(coefficients, l, settings.K, used);
            converged = previous.Length == ritz.Length && ritz.Zip(previous).All(p => Math.Abs(p.First - p.Second) <= settings.Tolerance * Math.Abs(p.First));
            previous = ritz;
            progress?.Report(0.05 + 0.85 * iteration / maxIterations);
            if (!converged && iteration < maxIterations)
            {
                Orthogonalise(job.Store, i, blocks, l, projection);
            }
        }
        WriteScores(job.Store, manifest, settings.K, b => RitzBlock(job.Store, iteration, b, l, ritzVectors, manifest.BlockSampleCount(b)));
        return (ritz, iteration, converged);
    }

    private static Matrix<double>[] Zeros(int count, int l) =>
        Enumerable.Range(0, count).Select(_ => Matrix<double>.Build.Dense(l, l)).ToArray();

    /// <summary>Adds Qⱼ,bᵀ W_b to <paramref name="projection"/>[j−1] for every basis block j ≤ i.</summary>
    private static void AddProjections(ScratchStore store, int i, int block, double[] w, int l, Matrix<double>[] projection)
    {
        Matrix<double> wb = Matrix<double>.Build.DenseOfRowMajor(w.Length / l, l, w);
        for (int j = 1; j <= i; j++)
        {
            projection[j - 1] += Basis(store, j, block, l).TransposeThisAndMultiply(wb);
        }
    }

    private static Matrix<double> Basis(ScratchStore store, int j, int block, int l)
    {
        float[] q = store.Read<float>(BlockPiece($"Q{j}", block));
        return Matrix<double>.Build.Dense(q.Length / l, l, (row, col) => q[row * l + col]);
    }

    /// <summary>
    /// Qᵢ₊₁ from W minus its projections on Q₁..Qᵢ, twice (classical Gram–Schmidt twice: one pass loses orthogonality
    /// to rounding), then a tall-skinny QR.
    /// </summary>
    private static void Orthogonalise(ScratchStore store, int i, int blocks, int l, Matrix<double>[] projection)
    {
        for (int b = 0; b < blocks; b++)
        {
            store.Write<double>(BlockPiece($"W{i}", b), Subtract(store, i, b, store.Read<double>(BlockPiece($"W{i}", b)), l, projection));
        }
        Matrix<double>[] again = Zeros(i, l);
        for (int b = 0; b < blocks; b++)
        {
            AddProjections(store, i, b, store.Read<double>(BlockPiece($"W{i}", b)), l, again);
        }
        var qr = new TallSkinnyQr(store, $"R{i}", l);
        for (int b = 0; b < blocks; b++)
        {
            qr.Add(b, Subtract(store, i, b, store.Read<double>(BlockPiece($"W{i}", b)), l, again));
        }
        qr.Finish(b => BlockPiece($"Q{i + 1}", b));
    }

    private static double[] Subtract(ScratchStore store, int i, int block, double[] w, int l, Matrix<double>[] projection)
    {
        Matrix<double> wb = Matrix<double>.Build.DenseOfRowMajor(w.Length / l, l, w);
        for (int j = 1; j <= i; j++)
        {
            wb -= Basis(store, j, block, l) * projection[j - 1];
        }
        return wb.ToRowMajorArray();
    }

    /// <summary>
    /// The top-K eigenpairs of T = Qᵀ XᵀX Q, assembled from the projections (block column i of T holds Qⱼᵀ XᵀX Qᵢ for
    /// j ≤ i; T is symmetric, so the rest mirrors it). Eigenvalues on the GRM scale (÷ M).
    /// </summary>
    private static (double[] Values, Matrix<double> Vectors) RitzPairs(List<Matrix<double>[]> coefficients, int l, int k, long used)
    {
        int size = coefficients.Count * l;
        var t = Matrix<double>.Build.Dense(size, size);
        for (int i = 0; i < coefficients.Count; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                t.SetSubMatrix(j * l, i * l, coefficients[i][j]);
                t.SetSubMatrix(i * l, j * l, coefficients[i][j].Transpose());
            }
        }
        t = (t + t.Transpose()) / 2;
        var evd = t.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, size).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).Take(k).ToArray();
        Matrix<double> vectors = Matrix<double>.Build.Dense(size, k, (row, c) => evd.EigenVectors[row, order[c]]);
        return (order.Select(i => evd.EigenValues[i].Real / used).ToArray(), vectors);
    }

    /// <summary>A block of the Ritz vectors: Σⱼ Qⱼ,b Yⱼ for the Krylov basis Q₁..Qᵢ and the eigenvectors Y of T.</summary>
    private static double[] RitzBlock(ScratchStore store, int iterations, int block, int l, Matrix<double> y, int rows)
    {
        Matrix<double> result = Matrix<double>.Build.Dense(rows, y.ColumnCount);
        for (int j = 1; j <= iterations; j++)
        {
            result += Basis(store, j, block, l) * y.SubMatrix((j - 1) * l, l, 0, y.ColumnCount);
        }
        return result.ToRowMajorArray();
    }

    private static async Task<double[]> Exact(Job job, PcaSettings settings, bool[] samples, long used)
    {
        DatasetManifest manifest = job.Dataset.Manifest;
        int n = job.Dataset.SampleCount;
        var grm = Matrix<double>.Build.Dense(n, n);
        for (int start = 0; start < n; start += ExactChunk)
        {
            int width = Math.Min(ExactChunk, n - start);
            string e = $"E{start}";
            var blocks = new List<int>();
            for (int b = 0; b < manifest.SampleBlockCount; b++)
            {
                int first = b * manifest.SamplesPerTile;
                int count = manifest.BlockSampleCount(b);
                if (first < start + width && start < first + count)
                {
                    blocks.Add(b);
                    var identity = new float[count * ExactChunk];
                    for (int j = 0; j < width; j++)
                    {
                        int s = start + j - first;
                        if (s >= 0 && s < count && samples[start + j])
                        {
                            identity[s * ExactChunk + j] = 1;
                        }
                    }
                    job.Store.Write<float>(BlockPiece(e, b), identity);
                }
            }
            await job.Forward(e, ExactChunk, blocks, (r, y) => job.Store.Write<float>(RegionPiece($"{e}y", r), y.Select(x => (float)x).ToArray())).ConfigureAwait(false);
            await job.Transposed($"{e}y", ExactChunk, (b, z) =>
            {
                int first = b * manifest.SamplesPerTile;
                for (int s = 0; s < manifest.BlockSampleCount(b); s++)
                {
                    for (int j = 0; j < width; j++)
                    {
                        grm[first + s, start + j] = samples[first + s] ? z[s * ExactChunk + j] / used : 0;
                    }
                }
            }).ConfigureAwait(false);
        }
        // Symmetrise away the float rounding of the two halves.
        grm = (grm + grm.Transpose()) / 2;
        var evd = grm.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, n).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).Take(settings.K).ToArray();
        Matrix<double> vectors = evd.EigenVectors;
        WriteScores(job.Store, manifest, settings.K, b =>
        {
            int first = b * manifest.SamplesPerTile;
            int count = manifest.BlockSampleCount(b);
            var piece = new double[count * settings.K];
            for (int s = 0; s < count; s++)
            {
                for (int k = 0; k < settings.K; k++)
                {
                    piece[s * settings.K + k] = vectors[first + s, order[k]];
                }
            }
            return piece;
        });
        return order.Select(i => evd.EigenValues[i].Real).ToArray();
    }

    /// <summary>
    /// Loadings w_jk = (X v_k)_j / (M λ_k): one forward pass with the final scores. Then Σ_j x_sj w_jk = (XᵀX v_k)_s / (M λ_k)
    /// = v_k[s], so projecting a sample with the model reproduces its score.
    /// </summary>
    private static async Task Loadings(Job job, int k, double[] eigenvalues, long used)
    {
        DatasetManifest manifest = job.Dataset.Manifest;
        int width = PcaSettings.PadColumns(k);
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] scores = job.Store.Read<double>(PcaResult.ScoresPiece(b));
            int count = manifest.BlockSampleCount(b);
            var padded = new float[count * width];
            for (int s = 0; s < count; s++)
            {
                for (int c = 0; c < k; c++)
                {
                    padded[s * width + c] = (float)scores[s * k + c];
                }
            }
            job.Store.Write<float>(BlockPiece("V", b), padded);
        }
        await job.Forward("V", width, null, (r, y) =>
        {
            int rows = y.Length / width;
            var loadings = new double[rows * k];
            for (int v = 0; v < rows; v++)
            {
                for (int c = 0; c < k; c++)
                {
                    loadings[v * k + c] = y[v * width + c] / (used * eigenvalues[c]);
                }
            }
            job.Store.Write<double>(PcaResult.LoadingsPiece(r), loadings);
        }).ConfigureAwait(false);
    }

    /// <summary>Writes the score pieces with each vector's sign fixed: its largest-|value| entry (first on ties) positive.</summary>
    private static void WriteScores(ScratchStore store, DatasetManifest manifest, int k, Func<int, double[]> block)
    {
        var best = new double[k];
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] piece = block(b);
            for (int i = 0; i < piece.Length; i++)
            {
                if (Math.Abs(piece[i]) > Math.Abs(best[i % k]))
                {
                    best[i % k] = piece[i];
                }
            }
            store.Write<double>($"unsigned-b{b}", piece);
        }
        for (int b = 0; b < manifest.SampleBlockCount; b++)
        {
            double[] piece = store.Read<double>($"unsigned-b{b}");
            for (int i = 0; i < piece.Length; i++)
            {
                piece[i] = best[i % k] < 0 ? -piece[i] : piece[i];
            }
            store.Write<double>(PcaResult.ScoresPiece(b), piece);
        }
    }

    private static double[] ZeroLeftOut(double[] z, int block, DatasetManifest manifest, bool[] samples, int columns)
    {
        int first = block * manifest.SamplesPerTile;
        for (int s = 0; s < z.Length / columns; s++)
        {
            if (!samples[first + s])
            {
                Array.Clear(z, s * columns, columns);
            }
        }
        return z;
    }

    /// <summary>Deterministic start block: uniform(−1, 1) from a SplitMix64 hash of (seed, sample, column); left-out samples zero.</summary>
    private static float[] StartBlock(ulong seed, int count, int firstSample, bool[] samples, int columns)
    {
        var piece = new float[count * columns];
        for (int s = 0; s < count; s++)
        {
            if (!samples[firstSample + s])
            {
                continue;
            }
            for (int c = 0; c < columns; c++)
            {
                ulong h = SplitMix(seed ^ SplitMix(((ulong)(firstSample + s) << 16) | (uint)c));
                piece[s * columns + c] = (float)((h >> 11) * (2.0 / (1UL << 53)) - 1);
            }
        }
        return piece;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    internal static string NormalisationPiece(int region) => $"norm-r{region}";

    internal static string RegionPiece(string prefix, int region) => $"{prefix}-r{region}";

    internal static string BlockPiece(string prefix, int block) => $"{prefix}-b{block}";

    /// <summary>The scatters of one PCA run over one dataset.</summary>
    internal sealed class Job(IJobExecutor executor, Dataset dataset, ScratchStore store, CancellationToken ct)
    {
        public IJobExecutor Executor { get; } = executor;

        public Dataset Dataset { get; } = dataset;

        public DatasetRef Reference { get; } = DatasetRef.Of(dataset);

        public ScratchStore Store { get; } = store;

        public CancellationToken Ct { get; } = ct;

        /// <summary>X·G: dense pieces <c>{prefix}-b{block}</c>; <paramref name="done"/> gets each region's rows (variants × columns) in region order.</summary>
        public Task Forward(string prefix, int columns, IReadOnlyList<int>? blocks, Action<int, double[]> done)
        {
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
                id => new ProductInput(false, columns, Store.Directory, NormalisationPiece(id.Region), BlockPiece(prefix, id.Block)).Encode());
            return Executor.RunAsync(job, (id, bytes) =>
            {
                ReadOnlySpan<float> partial = MemoryMarshal.Cast<byte, float>(bytes.Span);
                sum ??= new double[manifest.Regions[id.Region].VariantCount * columns];
                Add(partial, sum, id);
                if (++seen == used.Length)
                {
                    done(id.Region, sum);
                    sum = null;
                    seen = 0;
                }
            }, null, Ct);
        }

        /// <summary>Xᵀ·H: dense pieces <c>{prefix}-r{region}</c>; <paramref name="done"/> gets each block's rows (samples × columns) in block order.</summary>
        public Task Transposed(string prefix, int columns, Action<int, double[]> done)
        {
            DatasetManifest manifest = Dataset.Manifest;
            var tiles = new List<TileId>();
            for (int b = 0; b < manifest.SampleBlockCount; b++)
            {
                tiles.AddRange(Enumerable.Range(0, manifest.Regions.Count).Select(r => new TileId(r, b)));
            }
            double[]? sum = null;
            int seen = 0;
            var job = new TileJob(Reference, ProductOperation.OperationName, tiles,
                id => new ProductInput(true, columns, Store.Directory, NormalisationPiece(id.Region), RegionPiece(prefix, id.Region)).Encode());
            return Executor.RunAsync(job, (id, bytes) =>
            {
                ReadOnlySpan<float> partial = MemoryMarshal.Cast<byte, float>(bytes.Span);
                sum ??= new double[manifest.BlockSampleCount(id.Block) * columns];
                Add(partial, sum, id);
                if (++seen == manifest.Regions.Count)
                {
                    done(id.Block, sum);
                    sum = null;
                    seen = 0;
                }
            }, null, Ct);
        }

        private static void Add(ReadOnlySpan<float> partial, double[] sum, TileId id)
        {
            if (partial.Length != sum.Length)
            {
                throw new InvalidDataException($"tile {id}: a product partial of {partial.Length} values, expected {sum.Length}");
            }
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += partial[i];
            }
        }
    }
}
