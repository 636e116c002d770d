namespace GenoFlow.Core.Simulation;

/// <summary>
/// The genealogy of one population's pool of H templates, as a Kingman coalescent topology: the templates in a fixed
/// order are the leaves, and each clade of n leaves splits into a left part of size uniform on 1..n−1 (the coalescent's
/// root split law), so every clade is a run of consecutive templates. Fixed along the chromosome: all LD decay comes
/// from the copying, none from the pool.
/// </summary>
internal sealed class PoolTree
{
    private readonly int[] _lo;
    private readonly int[] _hi;
    private readonly int[] _left;
    private readonly int[] _right;

    public PoolTree(int leaves, ref Xoshiro256 rng)
    {
        Debug.Assert(leaves >= 1);
        int nodes = (2 * leaves) - 1;
        _lo = new int[nodes];
        _hi = new int[nodes];
        _left = new int[nodes];
        _right = new int[nodes];
        int next = 1;
        (_lo[0], _hi[0]) = (0, leaves);
        // Nodes are numbered in creation order, so a single pass visits each parent before its children.
        for (int node = 0; node < next; node++)
        {
            int size = _hi[node] - _lo[node];
            if (size == 1)
            {
                _left[node] = _right[node] = -1;
                continue;
            }
            int split = _lo[node] + 1 + rng.NextInt(size - 1);
            (_left[node], _lo[next], _hi[next]) = (next, _lo[node], split);
            next++;
            (_right[node], _lo[next], _hi[next]) = (next, split, _hi[node]);
            next++;
        }
        Debug.Assert(next == nodes);
    }

    /// <summary>
    /// The first template of the smallest clade that contains <paramref name="leaf"/> and has at least
    /// <paramref name="count"/> leaves: a mutation carried by <paramref name="count"/> templates goes on the first
    /// <paramref name="count"/> of that clade, so alleles of similar frequency near the same leaf share carriers, and
    /// rarer ones nest inside commoner ones, as on a tree.
    /// </summary>
    public int CladeStart(int leaf, int count)
    {
        int node = 0;
        while (_left[node] >= 0)
        {
            int child = leaf < _hi[_left[node]] ? _left[node] : _right[node];
            if (_hi[child] - _lo[child] < count)
            {
                break;
            }
            node = child;
        }
        return _lo[node];
    }
}
