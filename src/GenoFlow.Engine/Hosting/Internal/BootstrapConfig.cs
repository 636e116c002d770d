using System.Globalization;
using System.Text;
using Akka.Configuration;

namespace GenoFlow.Engine.Hosting.Internal;

/// <summary>
/// How a node finds its cluster (genoflow.cluster.bootstrap): through seeds, or by Akka.Management Cluster Bootstrap
/// with config discovery (a contact-point list) or Kubernetes API discovery. Turns GenoFlow's few keys into the
/// Akka.Management and Akka.Discovery settings they stand for.
/// </summary>
internal sealed record BootstrapConfig(string Discovery, int ManagementPort, IReadOnlyList<string> ContactPoints)
{
    public const string Seeds = "seeds";
    public const string ConfigDiscovery = "config";
    public const string KubernetesApi = "kubernetes-api";

    /// <summary>The name members look each other up by: the config discovery service, the Kubernetes pod label's value.</summary>
    public const string ServiceName = "genoflow";

    /// <summary>The Kubernetes container port name the management endpoint is found by.</summary>
    public const string ManagementPortName = "management";

    public bool Enabled => Discovery != Seeds;

    /// <summary>Reads genoflow.cluster.bootstrap of <paramref name="config"/>; refuses a discovery with seeds, or an unusable contact point.</summary>
    public static BootstrapConfig Resolve(Config config, int seedCount)
    {
        string discovery = config.GetString("genoflow.cluster.bootstrap.discovery");
        if (discovery is not (Seeds or ConfigDiscovery or KubernetesApi))
        {
            throw new ClusterConfigurationException($"genoflow.cluster.bootstrap.discovery must be {Seeds}, {ConfigDiscovery} or {KubernetesApi} (got '{discovery}')");
        }
        int port = config.GetInt("genoflow.cluster.bootstrap.management-port");
        if (port is < 1 or > 65535)
        {
            throw new ClusterConfigurationException($"the management port must be 1 to 65535 (got {port})");
        }
        string[] contactPoints = config.GetStringList("genoflow.cluster.bootstrap.contact-points").ToArray();
        var bootstrap = new BootstrapConfig(discovery, port, contactPoints);
        if (!bootstrap.Enabled)
        {
            return bootstrap;
        }
        if (seedCount > 0)
        {
            throw new ClusterConfigurationException($"seeds and bootstrap discovery ({discovery}) exclude each other: a node joins through one or the other");
        }
        if (discovery == ConfigDiscovery && contactPoints.Length == 0)
        {
            throw new ClusterConfigurationException("config discovery needs contact points (--bootstrap-contact-points H:P,...: every node's management endpoint)");
        }
        foreach (string contactPoint in contactPoints)
        {
            int colon = contactPoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(contactPoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
            {
                throw new ClusterConfigurationException($"contact point '{contactPoint}' is not host:port (a node's management endpoint, e.g. 10.0.0.5:8558)");
            }
        }
        return bootstrap;
    }

    /// <summary>
    /// The Akka.Management and Akka.Discovery settings this bootstrap stands for, as a fallback under the node's
    /// configuration: a --config file may still set any akka.management key (stable-margin, for one).
    /// </summary>
    public Config AkkaSettings(Config config)
    {
        int required = config.GetInt("genoflow.cluster.bootstrap.required-contact-points");
        if (required < 0)
        {
            throw new ClusterConfigurationException($"genoflow.cluster.bootstrap.required-contact-points must be 0 or more (got {required})");
        }
        var hocon = new StringBuilder();
        hocon.Append(CultureInfo.InvariantCulture, $"akka.management.cluster.bootstrap.contact-point-discovery.service-name = {ServiceName}\n");
        if (Discovery == ConfigDiscovery)
        {
            hocon.Append("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method = config\n");
            hocon.Append(CultureInfo.InvariantCulture, $"akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr = {(required == 0 ? ContactPoints.Count : required)}\n");
            // Each contact point names its own port: members on one machine (tests) cannot all use the default one.
            hocon.Append("akka.management.cluster.bootstrap.contact-point.filter-on-fallback-port = false\n");
            hocon.Append(CultureInfo.InvariantCulture, $"akka.discovery.config.services.{ServiceName}.endpoints = [{string.Join(", ", ContactPoints.Select(c => $"\"{c}\""))}]\n");
        }
        else
        {
            hocon.Append("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method = kubernetes-api\n");
            hocon.Append(CultureInfo.InvariantCulture, $"akka.management.cluster.bootstrap.contact-point-discovery.port-name = {ManagementPortName}\n");
            if (required > 0)
            {
                hocon.Append(CultureInfo.InvariantCulture, $"akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr = {required}\n");
            }
            hocon.Append("akka.discovery.kubernetes-api.class = \"Akka.Discovery.KubernetesApi.KubernetesApiServiceDiscovery, Akka.Discovery.KubernetesApi\"\n");
        }
        return ConfigurationFactory.ParseString(hocon.ToString());
    }
}
