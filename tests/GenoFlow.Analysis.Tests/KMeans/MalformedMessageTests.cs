using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.KMeans.Operations;
using GenoFlow.Analysis.Shards;

namespace GenoFlow.Analysis.Tests.KMeans;

/// <summary>
/// Inputs a worker receives from the network: every length is checked against the bytes present before anything is
/// allocated, and a malformed or mutated message ends in a one-line InvalidDataException, never a crash or a huge allocation.
/// </summary>
public sealed class MalformedMessageTests
{
    private const long AllocationBound = 1 << 20;

    private static readonly SampleShard Shard = new(0, 0, ["a", "b", "c", "d"], [0, 1, 2, 3], 2, [0, 0, 1, 1, 5, 5, 6, 6], null);

    [Fact]
    public void A_short_assign_message_claiming_a_huge_centre_array_is_refused_before_allocating()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(KMeansWire.Version);
            w.Write(true); // identity scaling
            w.Write(2); // of 2 columns
            w.Write(1 << 28); // "2^28 centre values follow" (2 GiB)
            w.Write(new byte[20]);
        }
        byte[] message = stream.ToArray();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => new AssignOperation(ScratchRoot.None).Run(Shard, message));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("kmeans.assign/1", error.Message, StringComparison.Ordinal);
        Assert.Contains("claims 268435456 values", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBound, $"refusing a {message.Length}-byte message allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(0)]
    public void A_scaling_width_out_of_range_is_refused(int dimensions)
    {
        byte[] message = KMeansWire.Encode(w =>
        {
            w.Write(true);
            w.Write(dimensions);
            KMeansWire.WriteDoubles(w, [1.0, 2.0]);
        });

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => new CostOperation().Run(Shard, message));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
    }

    [Fact]
    public void Centres_that_are_not_whole_rows_of_the_shard_are_refused()
    {
        byte[] message = StepOperation.Encode(new StepOperation.Input(FeatureScaling.Identity(2), [1.0, 2.0, 3.0], 4, 7, 0, 0));

        var error = Assert.Throws<InvalidDataException>(() => new StepOperation().Run(Shard, message));
        Assert.Contains("3 centre values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thousands_of_mutated_step_messages_each_end_in_a_result_or_one_invalid_data_error()
    {
        byte[] valid = StepOperation.Encode(new StepOperation.Input(FeatureScaling.Identity(2), [0.0, 0.0, 5.0, 5.0], 8, 7, 0, 3));
        var random = new Random(11);
        int refused = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] mutated = Mutate(valid, random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                byte[] partial = new StepOperation().Run(Shard, mutated);
                Assert.NotNull(StepOperation.Decode(partial));
            }
            catch (InvalidDataException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                refused++;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64 * AllocationBound, $"mutation {i} ({Convert.ToHexString(mutated)}) allocated {allocated:N0} bytes");
        }
        Assert.InRange(refused, 1000, 5000);
    }

    /// <summary>Flips, overwrites, truncates or extends a message at random positions.</summary>
    private static byte[] Mutate(byte[] message, Random random)
    {
        var bytes = new List<byte>(message);
        for (int m = random.Next(1, 4); m > 0; m--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.Add((byte)random.Next(256));
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }
        return [.. bytes];
    }
}
