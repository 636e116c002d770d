using Microsoft.Win32.SafeHandles;

namespace GenoFlow.Core.Formats.Bgzf;

/// <summary>An uncompressed file read forward through its handle.</summary>
internal sealed class PlainFileInput(SafeFileHandle handle, long length) : ReadOnlyInputStream
{
    private long _position;

    public override double Progress => length == 0 ? 1 : (double)_position / length;

    public override int Read(Span<byte> buffer)
    {
        int n = RandomAccess.Read(handle, buffer, _position);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }
        base.Dispose(disposing);
    }
}
