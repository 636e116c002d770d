using Microsoft.Win32.SafeHandles;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Reads a whole small file (a manifest) only after checking, on the opened file, that it is a regular file (a FIFO
/// is refused without blocking, see <see cref="DataFile"/>) and no larger than a limit: a huge or endless file is
/// refused before anything is allocated.
/// </summary>
public static class BoundedFile
{
    /// <summary>
    /// Largest manifest read: a dataset of 10 million variants in tiles of 4,096 x 8,192 at a million samples lists
    /// about 300,000 files, some 30 MB of JSON.
    /// </summary>
    public const long MaxManifestBytes = 256L << 20;

    /// <param name="root">The directory the file belongs to: a symbolic link is followed only to a target inside it.</param>
    /// <param name="what">What the file is, for the message ("manifest").</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="GenoFlowFormatException">Not a regular file, larger than <paramref name="maxBytes"/>, or shorter than it said.</exception>
    public static byte[] ReadAll(string root, string file, long maxBytes, string what)
    {
        using SafeFileHandle handle = DataFile.Open(root, file, out long length);
        if (length > maxBytes)
        {
            throw new GenoFlowFormatException(file, $"{what} is {length} bytes, more than the {maxBytes} bytes allowed");
        }
        var bytes = new byte[length];
        int done = 0;
        while (done < bytes.Length)
        {
            int read = RandomAccess.Read(handle, bytes.AsSpan(done), done);
            if (read == 0)
            {
                throw new GenoFlowFormatException(file, $"{what} shrank while it was read ({done} of {length} bytes)");
            }
            done += read;
        }
        return bytes;
    }
}
