namespace GenoFlow.Engine.Hosting;

/// <summary>
/// Node settings that cannot work (a seed that is not host:port, unknown roles, a public address without TLS): the
/// operator's to fix, so the command line prints the message as one line.
/// </summary>
public sealed class ClusterConfigurationException(string message) : Exception(message);
