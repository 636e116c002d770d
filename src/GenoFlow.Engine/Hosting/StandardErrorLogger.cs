using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace GenoFlow.Engine.Hosting;

/// <summary>
/// Akka's log to stderr (configured in cluster-config/genoflow.conf as akka.loggers): stdout carries the CLI's results,
/// so cluster chatter must never mix into them.
/// </summary>
public sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine($"[{e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToUpperInvariant()}] {e.Timestamp:HH:mm:ss.fff} {e.LogSource}: {e.Message}"));
    }
}
