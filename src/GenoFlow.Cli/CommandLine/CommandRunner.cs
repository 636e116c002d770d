using System.CommandLine;
using GenoFlow.Analysis.Execution;
using GenoFlow.Analysis.Stages;
using GenoFlow.Core;
using GenoFlow.Core.Storage;
using GenoFlow.Engine.Hosting;
using GenoFlow.Engine.Jobs;

namespace GenoFlow.Cli.CommandLine;

/// <summary>
/// Runs a command's work off the console thread with Ctrl-C / SIGTERM as cancellation, and turns failures into one clear
/// line on stderr and a non-zero exit code. Stack traces only with --verbose.
/// </summary>
internal static class CommandRunner
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Cancelled = 130;

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show stack traces and detailed logs on failure",
        Recursive = true,
    };

    /// <summary>Attaches synchronous <paramref name="work"/> as the command's action, run on the thread pool.</summary>
    public static void SetWork(this Command command, Func<ParseResult, CancellationToken, int> work) =>
        command.SetWork((parse, cancellationToken) => Task.Run(() => work(parse, cancellationToken), cancellationToken));

    /// <summary>Attaches <paramref name="work"/> as the command's action.</summary>
    public static void SetWork(this Command command, Func<ParseResult, CancellationToken, Task<int>> work)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            bool verbose = parseResult.GetValue(Verbose);
            try
            {
                return await work(parseResult, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine("genoflow: cancelled; no output was written");
                return Cancelled;
            }
            catch (StageParameterException e)
            {
                Console.Error.WriteLine($"genoflow: {FlagOf(parseResult, e.Parameter)} {e.Problem}");
                if (verbose)
                {
                    Console.Error.WriteLine(e);
                }
                return Failed;
            }
            catch (Exception e) when (IsUserFacing(e))
            {
                Console.Error.WriteLine($"genoflow: {e.Message}");
                if (verbose)
                {
                    Console.Error.WriteLine(e);
                }
                return Failed;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"genoflow: internal error: {e.GetType().Name}: {e.Message}");
                Console.Error.WriteLine(verbose ? e.ToString() : "(run again with --verbose for the stack trace)");
                return Failed;
            }
        });
    }

    /// <summary>
    /// Failures caused by the input or the environment, whose message is the whole story. An <see cref="ArgumentException"/>
    /// is not one of them: the library reports bad parameters as <see cref="StageParameterException"/>, so an argument
    /// exception is a wrong call, a bug, and is shown as an internal error.
    /// </summary>
    private static bool IsUserFacing(Exception e) => e is GenoFlowFormatException or DatasetException or CliUsageException or ClusterJoinException or ClusterConfigurationException or JobFailedException
        or ConfinementException
        or StageException or IOException or UnauthorizedAccessException or InvalidDataException;

    /// <summary>
    /// The command's flag for a stage parameter: the library names parameters as pipeline files do (<c>window-kb</c>,
    /// <c>k</c>), and each command spells the flag its own way (<c>--window-kb</c>; <c>-k</c> for pca, <c>--k</c> for kmeans).
    /// </summary>
    public static string FlagOf(ParseResult parse, string parameter)
    {
        ArgumentNullException.ThrowIfNull(parse);
        foreach (Option option in parse.CommandResult.Command.Options)
        {
            foreach (string name in option.Aliases.Prepend(option.Name))
            {
                if (name.TrimStart('-') == parameter)
                {
                    return name;
                }
            }
        }
        return "--" + parameter;
    }
}

/// <summary>A combination of options that cannot work, reported like a parse error.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
