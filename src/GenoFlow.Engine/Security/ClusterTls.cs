using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace GenoFlow.Engine.Security;

/// <summary>
/// A member's TLS identity: its certificate (with key) and the cluster CA certificate it trusts, both read from the
/// PKCS#12 bundle <c>genoflow cert issue</c> writes. A peer is accepted only when its certificate chains to that CA and
/// is within its validity period; host names are not checked (members are addressed by IP and the CA is the cluster's
/// own), so a certificate grants membership, whatever name it carries.
/// </summary>
public sealed class ClusterTls : IDisposable
{
    private ClusterTls(X509Certificate2 certificate, X509Certificate2 authority, string path)
    {
        Certificate = certificate;
        Authority = authority;
        Path = path;
    }

    /// <summary>Why <see cref="ValidatePeer"/> refused each endpoint ("host:port") this member dialled.</summary>
    private readonly Dictionary<string, string> _refusals = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Completed (and replaced) whenever a refusal is recorded, so that waiters look again.</summary>
    private TaskCompletionSource _refusalAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 Authority { get; }

    public string Path { get; }

    /// <summary>Reads a bundle; fails with one line naming the file when it is not one this node can use.</summary>
    public static ClusterTls Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new IOException($"certificate {path}: no such file (genoflow cert issue writes one)");
        }
        X509Certificate2Collection bundle;
        try
        {
            bundle = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new IOException($"certificate {path}: not a PKCS#12 bundle from genoflow cert issue ({e.Message})", e);
        }
        X509Certificate2? member = bundle.FirstOrDefault(c => c.HasPrivateKey);
        X509Certificate2? authority = bundle.FirstOrDefault(c => !c.HasPrivateKey && IsAuthority(c));
        if (member is null || authority is null)
        {
            throw new IOException($"certificate {path}: it must hold a member certificate with its key and the cluster CA certificate (genoflow cert issue writes both)");
        }
        var tls = new ClusterTls(member, authority, path);
        if (tls.Check(member) is { } problem)
        {
            throw new IOException($"certificate {path}: {problem}");
        }
        return tls;
    }

    /// <summary>
    /// Akka's certificate validation callback for both directions of every connection: refusals are logged as one
    /// error line naming the peer and the reason.
    /// </summary>
    public bool ValidatePeer(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        string? problem = certificate is null
            ? "it presented no certificate"
            : Check(certificate, chain);
        if (problem is null)
        {
            return true;
        }
        log.Error("TLS: refused peer {0}: {1}; only members holding a certificate from this cluster's CA ({2}) are accepted", remotePeer, problem, Authority.Subject);
        if (Endpoint(remotePeer) is { } server)
        {
            RecordRefusedServer(server, $"TLS: refused peer {remotePeer}: {problem}");
        }
        return false;
    }

    /// <summary>
    /// Completes, with the reasons, once every one of <paramref name="seeds"/> (Akka addresses) has been refused by this
    /// member's check of the certificate it presented: a member that trusts another CA than its seeds' never joins, so
    /// it can say why at once rather than after its join timeout. Never completes while a seed is unrefused.
    /// </summary>
    public async Task<string> WhenAllRefusedAsync(IReadOnlyList<string> seeds, CancellationToken cancellationToken)
    {
        string?[] endpoints = [.. seeds.Select(Endpoint)];
        while (true)
        {
            Task added;
            lock (_refusals)
            {
                if (endpoints.Length > 0 && endpoints.All(e => e is not null && _refusals.ContainsKey(e)))
                {
                    return string.Join("; ", endpoints.Distinct().Select(e => _refusals[e!]));
                }
                added = _refusalAdded.Task;
            }
            await added.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void RecordRefusedServer(string endpoint, string reason)
    {
        TaskCompletionSource added;
        lock (_refusals)
        {
            _refusals[endpoint] = reason;
            added = _refusalAdded;
            _refusalAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.SetResult();
    }

    /// <summary>
    /// "host:port" of an Akka address (a seed, or the peer of a connection this member opened: Akka names it by the
    /// address it dialled); null for anything else, such as the socket endpoint an inbound connection is named by.
    /// </summary>
    private static string? Endpoint(string address) =>
        address.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) && uri.Port > 0
            ? $"{uri.Host}:{uri.Port}"
            : null;

    /// <summary>Null when <paramref name="certificate"/> chains to this cluster's CA and is valid now; else why not.</summary>
    public string? Check(X509Certificate2 certificate, X509Chain? presented = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        DateTime now = DateTime.UtcNow;
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            return $"certificate '{certificate.Subject}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC";
        }
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return $"certificate '{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC";
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        // The cluster CA publishes no revocation list: a compromised member certificate is handled by rotating the CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
        {
            foreach (X509ChainElement element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Authority.RawDataMemory.Span))
        {
            return null;
        }
        string status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return $"certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') is not issued by this cluster's CA ({status})";
    }

    /// <summary>Akka.NET's transport setup: TLS with mutual authentication, peers checked by <see cref="ValidatePeer"/>.</summary>
    public DotNettySslSetup Setup() => new(
        Certificate,
        suppressValidation: false,
        requireMutualAuthentication: true,
        validateCertificateHostname: false,
        customValidator: ValidatePeer);

    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
}
