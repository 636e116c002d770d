using System.Text;
using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Pca;

/// <summary>
/// The input of <see cref="ProductOperation"/>: which product, the dense width, and references into a
/// <see cref="ScratchStore"/> (the job, the region's normalisation piece, the dense piece). A few hundred bytes.
/// </summary>
public sealed record ProductInput(bool Transposed, int Columns, string ScratchJob, string NormalisationPiece, string DensePiece)
{
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write(Transposed);
            writer.Write(Columns);
            writer.Write(ScratchJob);
            writer.Write(NormalisationPiece);
            writer.Write(DensePiece);
        }
        return stream.ToArray();
    }

    public static ProductInput Decode(ReadOnlySpan<byte> bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8);
        byte version = reader.ReadByte();
        if (version != 1)
        {
            throw new InvalidDataException($"{ProductOperation.OperationName}: input version {version} is not supported");
        }
        try
        {
            return new ProductInput(reader.ReadBoolean(), reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString());
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{ProductOperation.OperationName}: malformed input of {bytes.Length} bytes", e);
        }
    }
}
