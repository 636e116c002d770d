using GenoFlow.Analysis.Output;
using GenoFlow.Analysis.Tests.TestSupport;

namespace GenoFlow.Analysis.Tests.Stages;

public sealed class OutputDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_directory_appears_whole_with_no_staging_left()
    {
        string target = _dir.File("out");
        OutputDirectory.Publish(target, staging =>
        {
            File.WriteAllText(Path.Join(staging, "a.tsv"), "a");
            Directory.CreateDirectory(Path.Join(staging, "k2"));
            File.WriteAllText(Path.Join(staging, "k2", "b.tsv"), "b");
        });
        Assert.Equal("a", File.ReadAllText(Path.Join(target, "a.tsv")));
        Assert.Equal("b", File.ReadAllText(Path.Join(target, "k2", "b.tsv")));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_rerun_replaces_the_stages_files_and_subdirectories_keeps_the_users_and_removes_obsolete_ones()
    {
        string target = _dir.File("out");
        Directory.CreateDirectory(Path.Join(target, "k2"));
        File.WriteAllText(Path.Join(target, "a.tsv"), "old");
        File.WriteAllText(Path.Join(target, "k2", "stale.tsv"), "old");
        File.WriteAllText(Path.Join(target, "notes.txt"), "mine");
        File.WriteAllText(Path.Join(target, "a.parquet"), "other format");
        File.WriteAllText(Path.Join(target, "commit.json"), "old");

        OutputDirectory.Publish(target, staging =>
        {
            File.WriteAllText(Path.Join(staging, "a.tsv"), "new");
            Directory.CreateDirectory(Path.Join(staging, "k2"));
            File.WriteAllText(Path.Join(staging, "k2", "b.tsv"), "new");
            File.WriteAllText(Path.Join(staging, "commit.json"), "new");
        }, commitFile: "commit.json", obsolete: ["a.parquet"]);

        Assert.Equal("new", File.ReadAllText(Path.Join(target, "a.tsv")));
        Assert.Equal("new", File.ReadAllText(Path.Join(target, "commit.json")));
        Assert.Equal(["b.tsv"], Directory.GetFiles(Path.Join(target, "k2")).Select(Path.GetFileName));
        Assert.Equal("mine", File.ReadAllText(Path.Join(target, "notes.txt")));
        Assert.False(File.Exists(Path.Join(target, "a.parquet")));
        Assert.Single(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void A_failed_write_leaves_the_target_as_it_was_and_no_staging_behind()
    {
        string target = _dir.File("out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Join(target, "a.tsv"), "old");

        Assert.Throws<IOException>(() => OutputDirectory.Publish(target, staging =>
        {
            File.WriteAllText(Path.Join(staging, "a.tsv"), "half");
            throw new IOException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(Path.Join(target, "a.tsv")));
        Assert.Single(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void A_file_in_the_way_is_refused()
    {
        File.WriteAllText(_dir.File("out"), "a file");
        var error = Assert.Throws<IOException>(() => OutputDirectory.Publish(_dir.File("out"), _ => { }));
        Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
    }
}
