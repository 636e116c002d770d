namespace GenoFlow.Core.Formats.Plink;

/// <summary>Opening fileset members with errors that name the missing file.</summary>
internal static class PlinkFile
{
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GenoFlowFormatException(path, "file not found", inner: e);
        }
    }
}
