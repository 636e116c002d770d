using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Stages;
using GenoFlow.Analysis.Tables;
using GenoFlow.Analysis.Tests.TestSupport;
using GenoFlow.Analysis.Training;
using GenoFlow.Core.Simulation;

namespace GenoFlow.Analysis.Tests.Training;

/// <summary>A model of 100,000+ parameters trains with every operation input and output far below Akka's 128 KB frame.</summary>
public sealed class LargeModelTests
{
    private const int Frame = 128 * 1024;

    [Fact]
    public async Task A_100k_parameter_model_trains_with_messages_under_the_frame_size()
    {
        using var dir = new TempDirectory();
        var settings = new CohortSettings(Samples: 300, Variants: 100_100, Populations: 1, MissingRate: 0.01, Seed: 5, CausalVariants: 50);
        var (_, dataset) = Cohort.Create(dir.Path, settings, variantsPerTile: 16_384, samplesPerTile: 128);
        using (dataset)
        {
            var data = TrainingData.Build(dataset, SampleTable.Read(dir.File("phenotypes.tsv")), "trait_q", ["age"], null, TrainingModel.Linear,
                new TestSplit(0.2, 1), dir.File("shards"), rowsPerShard: 100);
            Assert.Equal(100_101, data.Parameters);
            var executor = new RecordingExecutor(new InProcessExecutor(new TileCache(64 << 20), parallelism: 2, scratch: TestScratch.Root));
            ScratchStore store = TestScratch.Root.CreateStore();
            TrainingResult result = await Trainer.RunAsync(executor, data, new TrainingSettings(TrainingModel.Linear, L2: 1, Rounds: 3), store);

            Assert.Equal(100_102, result.Theta.Length);
            Assert.Equal(3, result.Rounds);
            Assert.True(executor.Messages > 3 * data.Shards.ShardCount, $"{executor.Messages} messages");
            Assert.True(executor.Largest < Frame / 100, $"largest operation input or output: {executor.Largest} bytes");
            Assert.True(result.Theta.Count(w => w != 0) > 95_000, $"{result.Theta.Count(w => w != 0)} non-zero weights; objective {result.Objective}");
            Assert.Equal(["final", "scaling"], Directory.GetFiles(store.Directory).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')).Order(StringComparer.Ordinal));

            var exact = await Assert.ThrowsAsync<StageParameterException>(() => Trainer.RunAsync(executor, data, new TrainingSettings(TrainingModel.Linear, Aggregation.Exact, L2: 1), TestScratch.Root.CreateStore()));
            Assert.Contains("limited to 4,096 features", exact.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Passes jobs through, recording the size of every operation input and output.</summary>
    private sealed class RecordingExecutor(IJobExecutor inner) : IJobExecutor
    {
        public ScratchRoot Scratch => inner.Scratch;

        private int _largest;
        private int _messages;

        public int Largest => _largest;

        public int Messages => _messages;

        public Task<JobSummary> RunAsync(TileJob job, Action<TileId, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
            inner.RunAsync(job, reduce, progress, cancellationToken);

        public Task<JobSummary> RunAsync(SampleShardJob job, Action<int, ReadOnlyMemory<byte>> reduce, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
            inner.RunAsync(job with { InputFor = s => Record(job.InputFor(s)) }, (s, bytes) => reduce(s, Record(bytes)), progress, cancellationToken);

        private ReadOnlyMemory<byte> Record(ReadOnlyMemory<byte> bytes)
        {
            Interlocked.Increment(ref _messages);
            int size = bytes.Length;
            int seen;
            while (size > (seen = Volatile.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, size, seen) != seen)
            {
            }
            return bytes;
        }
    }
}
