using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GenoFlow.Core.Storage;

/// <summary>
/// Opens a dataset's data file for reading only if it is what the layout says: a regular file inside the dataset. A
/// symbolic link is followed only to a target inside the dataset directory; a FIFO is refused without blocking (it is
/// opened non-blocking and is not seekable); a device has no size and fails the manifest's size check. The size is
/// always the opened file's own, never a link's.
/// </summary>
internal static partial class DataFile
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800; // O_NONBLOCK on Linux (x86-64 and arm64 alike)
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int SeekStart = 0;
    private const int SeekEnd = 2;

    /// <summary>The open file and its length; a problem that is not "missing" raises <see cref="GenoFlowFormatException"/>.</summary>
    public static SafeFileHandle Open(string root, string file, out long length)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is not null)
        {
            FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
            string inside = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
            if (target is null || !target.FullName.StartsWith(inside, StringComparison.Ordinal))
            {
                throw new GenoFlowFormatException(file, $"a symbolic link to {target?.FullName ?? "nothing"}, outside the dataset; refused");
            }
        }
        SafeFileHandle handle = OpenNonBlocking(file);
        try
        {
            length = OperatingSystem.IsLinux() ? SeekToEnd(handle, file) : RandomAccess.GetLength(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Up to <paramref name="maxBytes"/> of a small file as text, opened without .NET's advisory lock (which fails on a
    /// file another process holds locked); null when it cannot be read or off Linux.
    /// </summary>
    public static string? ReadSmallUnlocked(string file, int maxBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            using SafeFileHandle handle = OpenNonBlocking(file);
            var buffer = new byte[maxBytes];
            int n = RandomAccess.Read(handle, buffer, 0);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static SafeFileHandle OpenNonBlocking(string file)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        int fd = OpenFile(file, ReadOnly | NonBlocking | CloseOnExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            // ENOENT, ENOTDIR: the callers' "missing" path.
            throw errno is 2 or 20
                ? new FileNotFoundException($"{file} does not exist", file)
                : new IOException($"{file}: cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)})");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>lseek to the end: the size of a regular file; a FIFO or socket cannot seek and is refused.</summary>
    private static long SeekToEnd(SafeFileHandle handle, string file)
    {
        long end = Seek(handle, 0, SeekEnd);
        if (end < 0)
        {
            throw new GenoFlowFormatException(file, "not a regular file (a FIFO, socket or device); refused");
        }
        // Back to the start: a FileStream over this handle reads from its current offset.
        Seek(handle, 0, SeekStart);
        return end;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Seek(SafeFileHandle fd, long offset, int whence);
}
