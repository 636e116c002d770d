namespace GenoFlow.Tests.Shared;

/// <summary>Random byte-level mutations: bit flips, overwrites, inserted, deleted and duplicated runs.</summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = "\t\n\r\0/|.,:;#=-9"u8.ToArray();

    public static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        for (int m = random.Next(1, 5); m > 0 && bytes.Count > 0; m--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 16), bytes.Count - at));
                    break;
                case 3:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 32), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. bytes];
    }
}
