namespace GenoFlow.Engine.Security;

/// <summary>Writes key material: created exclusively (never over an existing file), mode 0600 on Unix from the start.</summary>
internal static class PrivateFile
{
    public static void WriteAllText(string path, string text, bool ownerOnly = true) =>
        WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes(text), ownerOnly);

    public static void WriteAllBytes(string path, byte[] bytes, bool ownerOnly = true)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path} already exists; not overwriting it");
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = ownerOnly
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }
        using var stream = new FileStream(path, options);
        try
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            stream.Dispose();
            // Half a key is worse than none.
            File.Delete(path);
            throw;
        }
    }
}
