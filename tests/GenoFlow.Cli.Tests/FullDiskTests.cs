using System.Diagnostics;

namespace GenoFlow.Cli.Tests;

/// <summary>An import, a job's scratch or a stage's output on a disk that fills up: one clear line, non-zero exit, nothing left behind.</summary>
public sealed class FullDiskTests : IClassFixture<FullDiskTests.Cohort>
{
    private readonly Cohort _cohort;

    public FullDiskTests(Cohort cohort) => _cohort = cohort;

    /// <summary>A simulated fileset and its dataset, made once: the tests read them and write elsewhere.</summary>
    public sealed class Cohort : SharedFiles
    {
        public override async Task InitializeAsync()
        {
            await GenoFlowProcess.RunOkAsync("simulate", "--out", Dir["sim"], "--samples", "1000", "--variants", "20000", "--seed", "4");
            await GenoFlowProcess.RunOkAsync("import", "--bed", Dir["sim/cohort"], "--out", Dir["ds"], "--variants-per-tile", "500");
        }
    }

    [TmpfsFact]
    public async Task An_import_that_runs_out_of_space_leaves_no_partial_output()
    {
        using var dir = new TempDirectory();
        string small = dir["small"];
        Directory.CreateDirectory(small);
        await Tmpfs.During(small, "2m", async () =>
        {
            GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--bed", _cohort.Dir["sim/cohort"], "--out", Path.Combine(small, "ds"), "--variants-per-tile", "500"]);

            BadInputTests.AssertCleanFailure(result, "No space left on device");
            Assert.Empty(Directory.EnumerateFileSystemEntries(small, "*partial*", SearchOption.AllDirectories));
            Assert.False(Directory.Exists(Path.Combine(small, "ds")), "a failed import left a dataset");
        });
    }

    /// <summary>
    /// A VCF import replacing a dataset on a disk without room for the new one: it fails, leaves no staging directory,
    /// and the dataset it was to replace is still there, whole (checksums verified by info, rows by export).
    /// </summary>
    [TmpfsFact]
    public async Task A_vcf_import_that_runs_out_of_space_leaves_no_partial_output_and_the_old_dataset_whole()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["old"], "--samples", "100", "--variants", "2000", "--seed", "5");
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["sim"], "--samples", "1000", "--variants", "8000", "--seed", "4", "--format", "vcf");
        string small = dir["small"];
        Directory.CreateDirectory(small);
        await Tmpfs.During(small, "1m", async () =>
        {
            string dataset = Path.Combine(small, "ds");
            await GenoFlowProcess.RunOkAsync("import", "--bed", dir["old/cohort"], "--out", dataset);
            string[] before = Tree(small);

            GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--vcf", dir["sim/cohort.vcf.gz"], "--out", dataset, "--variants-per-tile", "500"]);

            BadInputTests.AssertCleanFailure(result, "No space left on device");
            Assert.Equal(before, Tree(small));
            await AssertReadableAs(dataset, dir["old/cohort"], dir["check"]);
        });
    }

    /// <summary>
    /// A release appended to a dataset on a disk without room for it: it fails, leaves no staging dataset or new
    /// generation, and the dataset is byte for byte the previous release, still readable.
    /// </summary>
    [TmpfsFact]
    public async Task An_append_that_runs_out_of_space_leaves_no_staging_and_the_previous_release_whole()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["b0"], "--samples", "1000", "--variants", "8000", "--seed", "4");
        await GenoFlowProcess.RunOkAsync("simulate", "--out", dir["b1"], "--samples", "1000", "--variants", "8000", "--seed", "4", "--batch", "1");
        string small = dir["small"];
        Directory.CreateDirectory(small);
        await Tmpfs.During(small, "3m", async () =>
        {
            string dataset = Path.Combine(small, "ds");
            await GenoFlowProcess.RunOkAsync("import", "--bed", dir["b0/cohort"], "--out", dataset, "--release", "R1", "--variants-per-tile", "500");
            string[] before = Tree(small);
            byte[] manifest = File.ReadAllBytes(Path.Combine(dataset, "manifest.json"));

            GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["import", "--bed", dir["b1/cohort"], "--append-to", dataset, "--release", "R2"]);

            BadInputTests.AssertCleanFailure(result, "No space left on device");
            Assert.Equal(before, Tree(small));
            Assert.Equal(manifest, File.ReadAllBytes(Path.Combine(dataset, "manifest.json")));
            await AssertReadableAs(dataset, dir["b0/cohort"], dir["check"]);
        });
    }

    /// <summary>Every file and directory under <paramref name="root"/>, relative and sorted.</summary>
    private static string[] Tree(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(root, e)).Order(StringComparer.Ordinal)];

    /// <summary><paramref name="dataset"/> passes info's checks and exports the .bed of <paramref name="fileset"/>.</summary>
    private static async Task AssertReadableAs(string dataset, string fileset, string export)
    {
        await GenoFlowProcess.RunOkAsync("info", dataset);
        await GenoFlowProcess.RunOkAsync("export", dataset, "--bed", export);
        Assert.True(File.ReadAllBytes(fileset + ".bed").AsSpan().SequenceEqual(File.ReadAllBytes(export + ".bed")), $"{dataset} no longer exports {fileset}.bed");
    }

    [TmpfsFact]
    public async Task A_pca_whose_scratch_root_fills_up_leaves_no_scratch_and_no_output()
    {
        using var dir = new TempDirectory();
        string small = dir["scratch"];
        Directory.CreateDirectory(small);
        await Tmpfs.During(small, "512k", async () =>
        {
            GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync(["pca", _cohort.Dir["ds"], "-k", "3", "--out", dir["pca"], "--scratch-root", small]);

            BadInputTests.AssertCleanFailure(result, "No space left on device");
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(small, "jobs")));
            Assert.False(Directory.Exists(dir["pca"]), "a failed pca left output");
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, ".*"));
        });
    }

    /// <summary>
    /// QC, LD pruning, k-means and training whose output directory is on a small filesystem: once with the job's scratch
    /// beside it (the default: the scratch fills first for k-means and training), once with the scratch elsewhere (the
    /// output's own files fill it). Each fails with the system's message and leaves the filesystem empty: no output, no
    /// staging directory, no scratch area.
    /// </summary>
    [TmpfsFact]
    public async Task Qc_ld_kmeans_and_train_that_run_out_of_space_leave_nothing_behind()
    {
        using var dir = new TempDirectory();
        await GenoFlowProcess.RunOkAsync("pca", _cohort.Dir["ds"], "-k", "3", "--out", dir["pca"]);
        string[][] commands =
        [
            ["qc", _cohort.Dir["ds"]],
            ["ld-prune", _cohort.Dir["ds"]],
            ["kmeans", "--input", dir["pca/scores.tsv"], "--k", "3"],
            ["train", _cohort.Dir["ds"], "--phenotypes", _cohort.Dir["sim/phenotypes.tsv"], "--target", "trait_q", "--model", "linear", "--aggregate", "average"],
        ];
        string small = dir["small"];
        Directory.CreateDirectory(small);
        Directory.CreateDirectory(dir["scratch"]);
        foreach (string[] command in commands)
        {
            foreach (bool scratchElsewhere in new[] { false, true })
            {
                await Tmpfs.During(small, scratchElsewhere ? "16k" : "64k", async () =>
                {
                    string[] scratch = scratchElsewhere ? ["--scratch-root", dir["scratch"]] : [];
                    GenoFlowProcess.Result result = await GenoFlowProcess.RunAsync([.. command, "--out", Path.Combine(small, "out"), .. scratch]);

                    string what = $"{command[0]} (scratch {(scratchElsewhere ? "elsewhere" : "beside the output")})";
                    BadInputTests.AssertCleanFailure(result, "No space left on device");
                    Assert.True(!Directory.EnumerateFileSystemEntries(small).Any(), $"{what} left {string.Join(", ", Directory.EnumerateFileSystemEntries(small, "*", SearchOption.AllDirectories))}");
                    string jobs = Path.Combine(dir["scratch"], "jobs");
                    Assert.True(!Directory.Exists(jobs) || !Directory.EnumerateFileSystemEntries(jobs).Any(), $"{what} left a scratch area");
                });
            }
        }
    }

    /// <summary>A fact that runs only where this process may mount a tmpfs (root or CAP_SYS_ADMIN).</summary>
    private sealed class TmpfsFactAttribute : FactAttribute
    {
        public TmpfsFactAttribute()
        {
            if (!Tmpfs.CanMount.Value)
            {
                Skip = "mounting a tmpfs is not allowed here (needs root or CAP_SYS_ADMIN); the full-disk test needs a small filesystem";
            }
        }
    }

    private static class Tmpfs
    {
        public static readonly Lazy<bool> CanMount = new(() =>
        {
            string probe = Path.Combine(Path.GetTempPath(), "genoflow-tmpfs-probe-" + Environment.ProcessId);
            Directory.CreateDirectory(probe);
            try
            {
                if (Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe) != 0)
                {
                    return false;
                }
                Run("umount", probe);
                return true;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
            finally
            {
                Directory.Delete(probe);
            }
        });

        /// <summary>Runs <paramref name="body"/> with a tmpfs of <paramref name="size"/> mounted on <paramref name="path"/>.</summary>
        public static async Task During(string path, string size, Func<Task> body)
        {
            Assert.Equal(0, Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path));
            try
            {
                await body();
            }
            finally
            {
                Run("umount", path);
            }
        }

        private static int Run(string tool, params string[] args)
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }
            using Process process = Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
