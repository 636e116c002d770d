using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>A job killed with SIGKILL leaves its scratch area; the next job on the same scratch root removes it.</summary>
public sealed class ScratchCollectionTests
{
    [Fact]
    public async Task The_area_of_a_killed_job_is_collected_by_the_next_job()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "500", "--variants", "6000", "--seed", "3");
        await GenoFlowProcess.RunOkAsync("import", "--bed", dir["sim/cohort"], "--out", dir["ds"], "--variants-per-tile", "100", "--samples-per-tile", "128");
        string jobs = Path.Join(dir["scratch"], "jobs");

        // Held to a tolerance it cannot reach, the PCA is still running when it is killed.
        using Process killed = GenoFlowProcess.Start(["pca", dir["ds"], "-k", "3", "--tolerance", "1e-300", "--max-iterations", "200", "--out", dir["killed"], "--scratch-root", dir["scratch"]]);
        _ = killed.StandardOutput.ReadToEndAsync();
        _ = killed.StandardError.ReadToEndAsync();
        string? area = null;
        await Conditions.UntilAsync(() => (area = AreaWithPieces(jobs)) is not null, TimeSpan.FromMinutes(2), $"a job area with a piece under {jobs}");
        Assert.False(killed.HasExited, "pca finished before it could be killed; make the dataset larger");
        killed.Kill(entireProcessTree: true);
        await killed.WaitForExitAsync();
        Assert.True(Directory.Exists(area), "SIGKILL cannot clean up: the area must still be there");

        await GenoFlowProcess.RunOkAsync("pca", dir["ds"], "-k", "2", "--max-iterations", "2", "--out", dir["next"], "--scratch-root", dir["scratch"]);

        Assert.False(Directory.Exists(area), "the next job left the killed job's area");
        Assert.Empty(Directory.GetFileSystemEntries(jobs));
        Assert.False(Directory.Exists(dir["killed"]));
    }

    /// <summary>A job area under <paramref name="jobs"/> that holds a piece (the job is computing), or null.</summary>
    private static string? AreaWithPieces(string jobs) =>
        Directory.Exists(jobs) ? Directory.GetDirectories(jobs).FirstOrDefault(a => Directory.GetFiles(a).Any(f => !Path.GetFileName(f).StartsWith('.'))) : null;
}
