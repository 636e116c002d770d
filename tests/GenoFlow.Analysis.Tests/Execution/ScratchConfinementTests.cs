using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.KMeans;
using GenoFlow.Analysis.KMeans.Operations;
using GenoFlow.Analysis.Pca;
using GenoFlow.Analysis.Shards;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;

namespace GenoFlow.Analysis.Tests.Execution;

/// <summary>
/// What an operation input can make a node touch: only pieces of a job area under the node's scratch root, named by
/// plain names, created exclusively. Every hostile name is refused before anything is read or written.
/// </summary>
public sealed class ScratchConfinementTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ScratchRoot _root;

    private static readonly SampleShard Shard = new(0, 0, ["a", "b", "c", "d"], [0, 1, 2, 3], 2, [0, 0, 1, 1, 5, 5, 6, 6], null);

    public ScratchConfinementTests()
    {
        _root = new ScratchRoot(_dir.File("scratch"));
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> HostileNames => new()
    {
        "../../etc", "..", ".", "/etc/passwd", "a/b", "a\\b", "", ".hidden", "x\0y", new string('a', ScratchNames.MaxLength + 1), "名前",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void A_job_id_or_piece_name_that_is_not_a_plain_name_is_refused(string name)
    {
        ScratchStore store = _root.CreateStore();

        var job = Assert.Throws<ConfinementException>(() => _root.Store(name));
        var write = Assert.Throws<ConfinementException>(() => store.Write<byte>(name, [1, 2, 3]));
        var read = Assert.Throws<ConfinementException>(() => store.Read<byte>(name));

        Assert.Contains("refused scratch job id", job.Message, StringComparison.Ordinal);
        Assert.Contains("refused scratch piece name", write.Message, StringComparison.Ordinal);
        Assert.Contains("refused scratch piece name", read.Message, StringComparison.Ordinal);
        Assert.Equal([".owner"], Directory.GetFileSystemEntries(store.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_piece_that_exists_is_never_overwritten_and_a_retry_with_the_same_bytes_is_accepted()
    {
        ScratchStore store = _root.CreateStore();
        store.Write<double>("theta", [1.0, 2.0]);

        store.Write<double>("theta", [1.0, 2.0]);
        var error = Assert.Throws<ConfinementException>(() => store.Write<double>("theta", [6.0, 6.0]));

        Assert.Contains("already exists with other content", error.Message, StringComparison.Ordinal);
        Assert.Equal([1.0, 2.0], store.Read<double>("theta"));
        Assert.Equal([".owner", "theta"], Directory.GetFileSystemEntries(store.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_piece_of_a_job_whose_area_does_not_exist_is_not_created()
    {
        ScratchStore stranger = _root.Store("no-such-job");

        Assert.Throws<ConfinementException>(() => stranger.Write<byte>("p", [1]));

        Assert.False(Directory.Exists(stranger.Directory));
    }

    [Fact]
    public void A_node_without_a_scratch_root_refuses_jobs_that_need_one()
    {
        var error = Assert.Throws<ConfinementException>(() => ScratchRoot.None.Store("job"));

        Assert.Contains("genoflow.cluster.scratch-root", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc", "p")]
    [InlineData("/tmp", "p")]
    [InlineData("job", "../../../tmp/owned")]
    public void A_kmeans_assign_input_naming_a_path_writes_nothing(string job, string prefix)
    {
        ScratchStore store = _root.CreateStore();
        byte[] input = AssignOperation.Encode(new AssignOperation.Input(FeatureScaling.Identity(2), [0, 0, 5, 5], job == "job" ? store.JobId : job, prefix));
        string[] before = Entries(_dir.Path);

        Assert.Throws<ConfinementException>(() => new AssignOperation(_root).Run(Shard, input));

        Assert.Equal(before, Entries(_dir.Path));
    }

    [Theory]
    [InlineData("../../etc", "passwd")]
    [InlineData("job", "../../../etc/passwd")]
    public void A_pca_product_input_naming_a_path_reads_nothing(string job, string piece)
    {
        ScratchStore store = _root.CreateStore();
        byte[] input = new ProductInput(false, 1, job == "job" ? store.JobId : job, piece, piece).Encode();

        var error = Assert.Throws<ConfinementException>(() => new ProductOperation(_root).Run(new Tile(new TileId(0, 0), 0, 1, 0, 4, new byte[1]), input));

        Assert.StartsWith("refused scratch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_training_step_naming_another_jobs_area_by_path_is_refused()
    {
        byte[] input = new TrainingStep("../" + _root.CreateStore().JobId, "scaling", TrainingModel.Linear, "theta", "out", "", ShardFeatures.NoFold, 1, 0.1, 0, 0).Encode();

        Assert.Throws<ConfinementException>(() => new GenoFlow.Analysis.Training.MomentsOperation(_root).Run(Shard, input));
    }

    private static string[] Entries(string path) => [.. Directory.GetFileSystemEntries(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
