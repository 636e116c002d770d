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
/// <param name="HoldOut">The cross-validation fold left out of the fit and scored as validation rows, or
/// <see cref="ShardFeatures.NoFold"/>.</param>
/// <param name="Epochs">Local proximal-gradient epochs (0: evaluate only).</param>
/// <param name="Step">Step size η of each local epoch.</param>
/// <param name="Folds">Gram operation: sums per fold 0 … Folds − 1 (one piece each) instead of one over all train rows.</param>
/// <param name="NegativeWeight">Weight of a row's loss when its (logistic) target is 0.</param>
/// <param name="PositiveWeight">Weight of a row's loss when its target is 1 (linear models: 1).</param>
public sealed record TrainingStep(
    string ScratchJob,
    string Scaling,
    TrainingModel Model,
    string Parameters,
    string Output,
    string Margins,
    int HoldOut,
    int Epochs,
    double Step,
    double L1,
    double L2,
    int Folds = 0,
    double NegativeWeight = 1,
    double PositiveWeight = 1)
{
    private const byte Format = 2;

    /// <summary>The loss weight of a row with target <paramref name="y"/>.</summary>
    public double Weight(double y) => y == 1 ? PositiveWeight : y == 0 ? NegativeWeight : 1;

    /// <summary>Decodes an operation's input and opens what it names: the job's scratch area and the shard's standardised features.</summary>
    internal static (TrainingStep Step, Execution.ScratchStore Store, ShardFeatures Features) Open(Execution.ScratchRoot scratch, Shards.SampleShard shard, ReadOnlySpan<byte> input, bool scaled = true)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(shard);
        TrainingStep step = Decode(input);
        Execution.ScratchStore store = scratch.Store(step.ScratchJob);
        int parameters = (shard.Genotypes?.Variants ?? 0) + shard.Columns - ShardFeatures.FirstExtraColumn;
        return (step, store, new ShardFeatures(shard, scaled ? store.Read<double>(step.Scaling) : new double[2 * parameters], step.HoldOut));
    }

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Format);
            writer.Write(ScratchJob);
            writer.Write(Scaling);
            writer.Write((byte)Model);
            writer.Write(Parameters);
            writer.Write(Output);
            writer.Write(Margins);
            writer.Write(HoldOut);
            writer.Write(Epochs);
            writer.Write(Step);
            writer.Write(L1);
            writer.Write(L2);
            writer.Write(Folds);
            writer.Write(NegativeWeight);
            writer.Write(PositiveWeight);
        }
        return stream.ToArray();
    }

    public static TrainingStep Decode(ReadOnlySpan<byte> bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()));
        byte version = reader.ReadByte();
        if (version != Format)
        {
            throw new InvalidDataException($"training step format {version} is not {Format}; are all nodes on the same GenoFlow version?");
        }
        return new TrainingStep(reader.ReadString(), reader.ReadString(), (TrainingModel)reader.ReadByte(), reader.ReadString(), reader.ReadString(),
            reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(),
            reader.ReadDouble(), reader.ReadDouble());
    }
}

/// <summary>
/// The output of every training operation: the shard's fitted rows and their summed (weighted) loss at the input θ, and
/// the summed unweighted loss of its held-out fold's rows.
/// </summary>
public readonly record struct TrainingPartial(int TrainRows, double Loss, double ValidationLoss = 0)
{
    private const int Size = 20;

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), TrainRows);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 8), Loss);
        BitConverter.TryWriteBytes(bytes.AsSpan(12, 8), ValidationLoss);
        return bytes;
    }

    public static TrainingPartial Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new InvalidDataException($"a training partial is {Size} bytes; got {bytes.Length}");
        }
        return new(BitConverter.ToInt32(bytes[..4]), BitConverter.ToDouble(bytes.Slice(4, 8)), BitConverter.ToDouble(bytes.Slice(12, 8)));
    }
}
