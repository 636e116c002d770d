using System.Runtime.InteropServices;
using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Kernels;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// <c>pca.product/1</c>: one tile's share of a product with the HWE-normalised matrix X (variants × samples). The input
/// (<see cref="ProductInput"/>) names the region's normalisation piece (per variant: center, scale as doubles, back to
/// back) and a dense piece. Forward: the dense piece is the sample block's rows (block samples × columns floats) and the
/// partial is X_{r,b}·G_b (region variants × columns floats). Transposed: the dense piece is the region's rows (region
/// variants × columns) and the partial is X_{r,b}ᵀ·H_r (block samples × columns floats). Every partial ends with one
/// double: the kernel's own seconds, which <see cref="PcaTimings"/> sums (it is not part of the product).
/// </summary>
public sealed class ProductOperation(ScratchRoot scratch) : ITileOperation
{
    public const string OperationName = "pca.product/1";

    public string Name => OperationName;

    public byte[] Run(Tile tile, ReadOnlySpan<byte> input) => Run(tile, input, CancellationToken.None);

    /// <summary>The kernels look at <paramref name="cancellation"/> once per chunk of their lookup tables (tens of samples or variants).</summary>
    public byte[] Run(Tile tile, ReadOnlySpan<byte> input, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(tile);
        ProductInput request = ProductInput.Decode(input);
        ScratchStore store = scratch.Store(request.ScratchJob);
        double[] normalisation = store.Read<double>(request.NormalisationPiece);
        float[] dense = store.Read<float>(request.DensePiece);
        if (normalisation.Length != 2 * tile.VariantCount)
        {
            throw new InvalidDataException($"{OperationName} on tile {tile.Id}: normalisation piece {request.NormalisationPiece} holds {normalisation.Length / 2} variants, the tile {tile.VariantCount}");
        }
        // The output is sized from the column count: it must match the dense piece actually read, not just the message.
        int denseRows = request.Transposed ? tile.VariantCount : tile.SampleCount;
        if (request.Columns < 1 || (long)denseRows * request.Columns != dense.Length)
        {
            throw new InvalidDataException($"{OperationName} on tile {tile.Id}: {request.Columns} columns requested, but dense piece {request.DensePiece} holds {dense.Length} values for {denseRows} rows");
        }
        double[] center = new double[tile.VariantCount];
        double[] scale = new double[tile.VariantCount];
        for (int v = 0; v < tile.VariantCount; v++)
        {
            center[v] = normalisation[2 * v];
            scale[v] = normalisation[2 * v + 1];
        }
        int values = (request.Transposed ? tile.SampleCount : tile.VariantCount) * request.Columns;
        byte[] partial = new byte[values * sizeof(float) + sizeof(double)];
        Span<float> output = MemoryMarshal.Cast<byte, float>(partial.AsSpan(0, values * sizeof(float)));
        long started = Stopwatch.GetTimestamp();
        if (request.Transposed)
        {
            NormalizedProduct.MultiplyTransposed(tile.Packed, tile.VariantCount, tile.SampleCount, center, scale, dense, request.Columns, output, cancellation: cancellation);
        }
        else
        {
            NormalizedProduct.Multiply(tile.Packed, tile.VariantCount, tile.SampleCount, center, scale, dense, request.Columns, output, cancellation: cancellation);
        }
        BitConverter.TryWriteBytes(partial.AsSpan(values * sizeof(float)), Stopwatch.GetElapsedTime(started).TotalSeconds);
        return partial;
    }
}
