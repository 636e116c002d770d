using System.Runtime.Serialization;
using Akka.Serialization;
using GenoFlow.Engine.Tests.Support;
using GenoFlow.Tests.Shared;
using Google.Protobuf;

namespace GenoFlow.Engine.Tests.Serialization;

/// <summary>
/// What a peer can send GenoFlow's serializer, fuzzed: every wire message, serialized and then mutated at random
/// (bit flips, overwritten, inserted, deleted and duplicated runs), ends in a message or in one refusal line
/// (protobuf's own or the serializer's), within a deadline and without a large allocation: a length on the wire is
/// checked against the bytes present before anything is allocated.
/// </summary>
public sealed class MutatedWireMessageTests : SerializingTestKit
{
    private const int CasesPerMessage = 500;

    [Fact]
    public async Task Mutated_wire_messages_end_in_a_message_or_one_refusal_without_a_hang_or_a_large_allocation()
    {
        int cases = 0;
        foreach (object?[] row in GenoFlowSerializerTests.Messages)
        {
            object message = row[0]!;
            string manifest = (string)row[1]!;
            Serializer serializer = Sys.Serialization.FindSerializerFor(message);
            byte[] valid = serializer.ToBinary(message);
            for (int seed = 0; seed < CasesPerMessage; seed++, cases++)
            {
                byte[] mutated = Mutator.Mutate(valid, new Random(seed));
                string problem = await Task.Run(() => Deserialize(serializer, mutated, manifest)).WaitAsync(TimeSpan.FromSeconds(20));
                Assert.True(problem.Length == 0, $"{manifest} seed {seed} ({Convert.ToBase64String(mutated)}): {problem}");
            }
        }
        Assert.True(cases >= 5000, $"only {cases} cases ran");
    }

    /// <summary>A short message whose first field claims 2 GiB of bytes: refused without allocating them.</summary>
    [Fact]
    public void A_length_prefix_claiming_gigabytes_is_refused_before_allocating()
    {
        Serializer serializer = Sys.Serialization.FindSerializerForType(typeof(GenoFlow.Engine.Entities.OperationCompleted));
        byte[] forged = [0x12, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3]; // field 2 (bytes), length 2^31 - 1, three bytes present

        Assert.Equal("", Deserialize(serializer, forged, "gf-done"));
        Assert.Throws<InvalidProtocolBufferException>(() => ((SerializerWithStringManifest)serializer).FromBinary(forged, "gf-done"));
    }

    /// <summary>"" when deserializing ends in a message or one refusal line without a large allocation, else what went wrong.</summary>
    private static string Deserialize(Serializer serializer, byte[] bytes, string manifest)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            ((SerializerWithStringManifest)serializer).FromBinary(bytes, manifest);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or SerializationException && !e.Message.Contains('\n', StringComparison.Ordinal))
        {
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated < 16L << 20 ? "" : $"allocated {allocated:N0} bytes";
    }
}
