using System.CommandLine;
using GenoFlow.Analysis.Results;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// Where the tile jobs of <c>qc</c>, <c>ld-prune</c>, <c>run</c>, <c>pipeline</c> and <c>watch</c> keep partial results (see README,
/// "Result store"): beside the dataset by default, in a named directory, or nowhere.
/// </summary>
internal static class ResultStoreOptions
{
    public static readonly Option<string?> Directory = new("--result-store")
    {
        Description = "Keep per-tile partial results in DIR (default: DATASET.results beside the dataset); it must be on a filesystem this process sees",
    };

    public static readonly Option<int?> Megabytes = new("--result-store-mb")
    {
        Description = "Bound of the result store in MiB; least recently used entries are evicted (default 1024)",
    };

    public static readonly Option<bool> Off = new("--no-result-store")
    {
        Description = "Compute every tile and keep nothing",
    };

    public static void AddOptions(Command command)
    {
        command.Options.Add(Directory);
        command.Options.Add(Megabytes);
        command.Options.Add(Off);
    }

    public static ResultStoreSettings SettingsOf(ParseResult parse)
    {
        string? directory = parse.GetValue(Directory);
        int? megabytes = parse.GetValue(Megabytes);
        if (parse.GetValue(Off))
        {
            return directory is null && megabytes is null
                ? ResultStoreSettings.Off
                : throw new CliUsageException("--no-result-store cannot be combined with --result-store or --result-store-mb");
        }
        if (megabytes <= 0)
        {
            throw new CliUsageException("--result-store-mb must be positive");
        }
        if (directory is { Length: 0 })
        {
            throw new CliUsageException("--result-store needs a directory");
        }
        return new ResultStoreSettings { Directory = directory, CapacityBytes = megabytes * (1024L * 1024L) ?? ResultStoreSettings.DefaultCapacityBytes };
    }
}
