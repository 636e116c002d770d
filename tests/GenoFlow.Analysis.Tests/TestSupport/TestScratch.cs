using GenoFlow.Analysis.Execution;

namespace GenoFlow.Analysis.Tests.TestSupport;

/// <summary>The scratch root of this test process's in-process executors, removed when the process exits.</summary>
internal static class TestScratch
{
    public static ScratchRoot Root { get; } = Create();

    private static ScratchRoot Create()
    {
        string path = Path.Join(Path.GetTempPath(), $"genoflow-analysis-tests-scratch-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        };
        return new ScratchRoot(path);
    }
}
