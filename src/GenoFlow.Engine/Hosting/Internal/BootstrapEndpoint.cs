using System.Collections.Immutable;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Newtonsoft.Json;

namespace GenoFlow.Engine.Hosting.Internal;

/// <summary>
/// The one HTTP route Cluster Bootstrap needs, <c>GET /bootstrap/seed-nodes</c>: this node's address and the reachable
/// members it knows, in Akka.Management's own JSON (its <see cref="HttpBootstrapJsonProtocol.SeedNodes"/>, which the
/// other nodes' probes parse). Served here, on the framework's <see cref="HttpListener"/>, rather than by
/// Akka.Management's HTTP server: that server is Ceen.Httpd 0.9.9, which the package mirror lacks, and the 0.9.10 it
/// has dropped the ListenAsync overload Akka.Http.Shim calls (the endpoint failed to start). Every other path and
/// method gets 404; nothing here changes the cluster.
/// </summary>
internal sealed class BootstrapEndpoint : IDisposable
{
    public const string Route = "/bootstrap/seed-nodes";

    private readonly HttpListener _listener = new();
    private readonly ActorSystem _system;

    private BootstrapEndpoint(ActorSystem system, string host, int port)
    {
        _system = system;
        BaseUri = new Uri($"http://{host}:{port}/");
        // HttpListener serves a request only when its Host header matches the prefix: an address binds just that
        // address; a DNS name (Kubernetes pods advertise theirs, but are probed by IP) binds every interface.
        _listener.Prefixes.Add(IPAddress.TryParse(host, out _) ? BaseUri.ToString() : $"http://*:{port}/");
    }

    /// <summary>What the other nodes' discovery lists for this node: http://host:port/.</summary>
    public Uri BaseUri { get; }

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> and serves until disposed; throws <see cref="ClusterConfigurationException"/> when the port cannot be bound.</summary>
    public static BootstrapEndpoint Start(ActorSystem system, string host, int port)
    {
        var endpoint = new BootstrapEndpoint(system, host, port);
        try
        {
            endpoint._listener.Start();
        }
        catch (HttpListenerException e)
        {
            endpoint.Dispose();
            throw new ClusterConfigurationException($"cannot serve the bootstrap endpoint on {host}:{port} (--management-port): {e.Message}");
        }
        _ = Task.Run(endpoint.ServeAsync);
        return endpoint;
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                await RespondAsync(context.Request, context.Response);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The prober hung up; it asks again on its next interval.
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task RespondAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (request.HttpMethod != "GET" || request.Url?.AbsolutePath != Route)
        {
            response.StatusCode = (int)HttpStatusCode.NotFound;
            return;
        }
        var cluster = Akka.Cluster.Cluster.Get(_system);
        // A member on its way out must not be offered as a seed. (Before it joins, a node's own status reads Removed:
        // it must answer then, or no node could ever find the others.)
        if (cluster.IsTerminated || cluster.SelfMember.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving)
        {
            response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            return;
        }
        ClusterEvent.CurrentClusterState state = cluster.State;
        var members = state.Members
            .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
            .ToImmutableList();
        byte[] body = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(cluster.SelfAddress, members)));
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }
}
