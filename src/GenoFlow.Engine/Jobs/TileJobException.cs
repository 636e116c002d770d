namespace GenoFlow.Engine.Jobs;

/// <summary>A cluster job that failed: a tile failed permanently or ran out of attempts. The message is one line naming the tile.</summary>
public sealed class TileJobException : Exception
{
    public TileJobException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
