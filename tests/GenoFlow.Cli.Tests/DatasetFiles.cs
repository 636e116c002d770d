namespace GenoFlow.Cli.Tests;

internal static class DatasetFiles
{
    /// <summary>Every file of two dataset directories, byte for byte.</summary>
    public static void AssertIdentical(string expected, string actual)
    {
        string[] expectedFiles = Relative(expected);
        Assert.Equal(expectedFiles, Relative(actual));
        Assert.NotEmpty(expectedFiles);
        foreach (string file in expectedFiles)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))),
                $"{file} differs between {expected} and {actual}");
        }
    }

    private static string[] Relative(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
}
