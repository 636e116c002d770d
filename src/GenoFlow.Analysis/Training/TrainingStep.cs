namespace GenoFlow.Analysis.Training;

/// <summary>
/// The input of every training operation: names of scratch pieces and a few numbers, never the vectors themselves,
/// so a message stays a few hundred bytes whatever the number of parameters.
/// </summary>
/// <param name="ScratchJob">The job whose scratch area holds the pieces (<see cref="Execution.ScratchStore.JobId"/>).</param>
/// <param name="Scaling">Piece with the features' means and inverse standard deviations (2p doubles).</param>
/// <param name="Parameters">Piece with θ (p + 1 doubles, intercept last); empty for moments.</param>
/// <param name="Output">Piece the operation writes (name made unique per shard by the caller).</param>
/// <param name="Margins">Piece for the margins of every row at θ, or empty for none.</param>
/// <param name="Fit">Whether this shard fits (false for shards held out of a cross-validation fold).</param>
/// <param name="Epochs">Local proximal-gradient epochs (0: evaluate only).</param>
/// <param name="Step">Step size η of each local epoch.</param>
public sealed record TrainingStep(
    string ScratchJob,
    string Scaling,
    TrainingModel Model,
    string Parameters,
    string Output,
    string Margins,
    bool Fit,
    int Epochs,
    double Step,
    double L1,
    double L2)
{
    /// <summary>Decodes an operation's input and opens what it names: the job's scratch area and the shard's standardised features.</summary>
    internal static (TrainingStep Step, Execution.ScratchStore Store, ShardFeatures Features) Open(Execution.ScratchRoot scratch, Shards.SampleShard shard, ReadOnlySpan<byte> input, bool scaled = true)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(shard);
        TrainingStep step = Decode(input);
        Execution.ScratchStore store = scratch.Store(step.ScratchJob);
        int parameters = (shard.Genotypes?.Variants ?? 0) + shard.Columns - ShardFeatures.FirstExtraColumn;
        return (step, store, new ShardFeatures(shard, scaled ? store.Read<double>(step.Scaling) : new double[2 * parameters]));
    }

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write((byte)1);
            writer.Write(ScratchJob);
            writer.Write(Scaling);
            writer.Write((byte)Model);
            writer.Write(Parameters);
            writer.Write(Output);
            writer.Write(Margins);
            writer.Write(Fit);
            writer.Write(Epochs);
            writer.Write(Step);
            writer.Write(L1);
            writer.Write(L2);
        }
        return stream.ToArray();
    }

    public static TrainingStep Decode(ReadOnlySpan<byte> bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()));
        byte version = reader.ReadByte();
        if (version != 1)
        {
            throw new InvalidDataException($"training step format {version} is not 1; are all nodes on the same GenoFlow version?");
        }
        return new TrainingStep(reader.ReadString(), reader.ReadString(), (TrainingModel)reader.ReadByte(), reader.ReadString(), reader.ReadString(),
            reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
    }
}

/// <summary>The output of every training operation: the shard's train rows and its summed loss at the input θ.</summary>
public readonly record struct TrainingPartial(int TrainRows, double Loss)
{
    public byte[] Encode()
    {
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), TrainRows);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 8), Loss);
        return bytes;
    }

    public static TrainingPartial Decode(ReadOnlySpan<byte> bytes) => new(BitConverter.ToInt32(bytes[..4]), BitConverter.ToDouble(bytes.Slice(4, 8)));
}
