using System.Diagnostics;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Tests.TestSupport;

namespace GenoFlow.Analysis.Tests.Execution;

/// <summary>
/// Job areas of dead jobs are collected, live ones never: the owner marker's lock is held by a real other process
/// (python's flock, the lock .NET takes for FileShare.None), which is then killed.
/// </summary>
public sealed class ScratchCollectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ScratchRoot _root;

    public ScratchCollectionTests()
    {
        _root = new ScratchRoot(_dir.File("scratch"), maxAge: TimeSpan.FromHours(1));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_area_is_kept_while_its_owner_process_lives_and_collected_once_it_is_killed()
    {
        string area = Area("a1", Environment.MachineName);
        using Process owner = HoldLock(Path.Join(area, ".owner"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal("locked", await owner.StandardOutput.ReadLineAsync(deadline.Token));

        int whileAlive = _root.CollectAbandoned();
        owner.Kill();
        await owner.WaitForExitAsync(deadline.Token);
        Assert.True(Directory.Exists(area), "a live owner's area was collected");
        int afterKill = _root.CollectAbandoned();

        Assert.Equal(0, whileAlive);
        Assert.Equal(1, afterKill);
        Assert.False(Directory.Exists(area), "a dead owner's area was left");
    }

    [Fact]
    public void An_area_owned_on_another_host_is_kept_until_it_is_older_than_the_max_age()
    {
        string area = Area("b1", "some-other-host");

        int young = _root.CollectAbandoned();
        File.SetLastWriteTimeUtc(Path.Join(area, ".owner"), DateTime.UtcNow - TimeSpan.FromHours(2));
        int old = _root.CollectAbandoned();

        Assert.Equal(0, young);
        Assert.Equal(1, old);
        Assert.False(Directory.Exists(area));
    }

    [Fact]
    public void This_processs_own_areas_are_kept_and_a_new_job_collects_a_dead_ones()
    {
        ScratchStore mine = _root.CreateStore();
        string dead = Area("c1", Environment.MachineName);

        ScratchStore next = _root.CreateStore();

        Assert.True(Directory.Exists(mine.Directory));
        Assert.True(Directory.Exists(next.Directory));
        Assert.False(Directory.Exists(dead), "the next job did not collect an area nobody holds");
        mine.Delete();
        next.Delete();
        Assert.Empty(Directory.GetDirectories(_root.JobsDirectory));
    }

    /// <summary>An area with an owner marker naming <paramref name="host"/>, not held by anyone.</summary>
    private string Area(string id, string host)
    {
        string area = Directory.CreateDirectory(Path.Join(_root.JobsDirectory, id)).FullName;
        File.WriteAllText(Path.Join(area, ".owner"), $"{host}\n12345\n2026-01-01T00:00:00Z\n");
        File.WriteAllBytes(Path.Join(area, "piece"), [1, 2, 3]);
        return area;
    }

    /// <summary>A python process that holds an exclusive flock on <paramref name="marker"/> until killed.</summary>
    private static Process HoldLock(string marker)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", ["-c", "import fcntl, sys\nf = open(sys.argv[1], 'r+')\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()", marker])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        return Process.Start(info)!;
    }
}
