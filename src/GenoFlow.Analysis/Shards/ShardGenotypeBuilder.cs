using GenoFlow.Analysis.Execution;
using GenoFlow.Core.Genotypes;
using GenoFlow.Core.Storage;

namespace GenoFlow.Analysis.Shards;

/// <summary>
/// Builds a shard's sample-major genotypes from the dataset's variant-major tiles: for every region holding selected
/// variants, the tiles of the sample blocks the shard's samples fall in are read through the node's tile cache and
/// transposed into the shard's rows. Only the node hosting the shard reads them; nothing travels.
/// </summary>
internal static class ShardGenotypeBuilder
{
    public static SampleGenotypes Build(ShardGenotypeSource source, long[] variants, int[] sampleIndices, TileCache tiles)
    {
        var dataset = new DatasetRef(source.Dataset, source.ManifestChecksum);
        DatasetManifest manifest = tiles.OpenDataset(dataset).Manifest;
        int samples = sampleIndices.Length;
        int stride = PackedGenotypes.RowBytes(variants.Length);
        var packed = new byte[(long)samples * stride];
        int perBlock = manifest.SamplesPerTile;
        int[] blocks = [.. sampleIndices.Select(s => s / perBlock).Distinct().Order()];
        int next = 0;
        foreach (RegionInfo region in manifest.Regions)
        {
            int first = next;
            while (next < variants.Length && variants[next] < region.FirstVariant + region.VariantCount)
            {
                next++;
            }
            if (next == first)
            {
                continue;
            }
            foreach (int block in blocks)
            {
                Tile tile = tiles.Get(dataset, new TileId(region.Index, block));
                for (int j = first; j < next; j++)
                {
                    ReadOnlySpan<byte> row = tile.Row((int)(variants[j] - tile.FirstVariant));
                    int shift = (j & 3) << 1;
                    int byteIndex = j >> 2;
                    for (int s = 0; s < samples; s++)
                    {
                        int sample = sampleIndices[s] - tile.FirstSample;
                        if ((uint)sample < (uint)tile.SampleCount)
                        {
                            packed[(long)s * stride + byteIndex] |= (byte)(PackedGenotypes.GetCode(row, sample) << shift);
                        }
                    }
                }
            }
        }
        if (next != variants.Length)
        {
            throw new InvalidOperationException($"variant index {variants[next]} is past the end of dataset {source.Dataset} ({manifest.VariantCount} variants)");
        }
        return new SampleGenotypes(samples, variants.Length, packed);
    }
}
