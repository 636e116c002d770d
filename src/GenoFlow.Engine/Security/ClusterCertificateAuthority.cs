using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GenoFlow.Engine.Hosting;

namespace GenoFlow.Engine.Security;

/// <summary>
/// A cluster's certificate authority: a self-signed CA certificate (<c>ca.crt</c>, PEM) and its private key
/// (<c>ca.key</c>, PEM, readable by its owner only) in one directory. It issues the member certificates
/// (<see cref="Issue"/>) that mutual TLS on the cluster's transport accepts; nothing else is trusted.
/// </summary>
public sealed class ClusterCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca.crt";
    public const string KeyFileName = "ca.key";

    /// <summary>A CA outlives many member certificates: rotating it means reissuing every member's.</summary>
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    private ClusterCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new CA in <paramref name="directory"/> (created if missing); refuses to overwrite one.</summary>
    public static ClusterCertificateAuthority Create(string directory, string name = "GenoFlow cluster CA")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string certPath = Path.Combine(directory, CertificateFileName);
        string keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certPath) || File.Exists(keyPath))
        {
            throw new IOException($"{directory} already holds a cluster CA ({CertificateFileName}, {KeyFileName}); not overwriting it");
        }
        Directory.CreateDirectory(directory);
        using RSA key = RSA.Create(3072);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
        PrivateFile.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        PrivateFile.WriteAllText(certPath, certificate.ExportCertificatePem(), ownerOnly: false);
        return new ClusterCertificateAuthority(certificate);
    }

    /// <summary>Loads the CA in <paramref name="directory"/> (as <see cref="Create"/> wrote it).</summary>
    public static ClusterCertificateAuthority Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string certPath = Path.Combine(directory, CertificateFileName);
        string keyPath = Path.Combine(directory, KeyFileName);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            throw new IOException($"{directory} is not a cluster CA directory: it needs {CertificateFileName} and {KeyFileName} (genoflow cert init {directory})");
        }
        try
        {
            return new ClusterCertificateAuthority(X509Certificate2.CreateFromPemFile(certPath, keyPath));
        }
        catch (CryptographicException e)
        {
            throw new IOException($"{directory}: the CA certificate or key cannot be read ({e.Message})", e);
        }
    }

    /// <summary>
    /// A member certificate for <paramref name="name"/> (CN and DNS name; an IP address name also goes in as an IP
    /// SAN), valid for TLS server and client use, signed by this CA, valid from <paramref name="notBefore"/> to
    /// <paramref name="notAfter"/>. The result holds its private key.
    /// </summary>
    public X509Certificate2 Issue(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (notAfter <= notBefore)
        {
            throw new ArgumentException($"a certificate must end after it starts ({notBefore:u} .. {notAfter:u})", nameof(notAfter));
        }
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));
        var san = new SubjectAlternativeNameBuilder();
        if (System.Net.IPAddress.TryParse(name, out System.Net.IPAddress? ip))
        {
            san.AddIpAddress(ip);
        }
        else
        {
            san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        // A certificate lives within its issuer's validity.
        DateTimeOffset caStart = new(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        DateTimeOffset start = notBefore > caStart ? notBefore : caStart;
        DateTimeOffset end = notAfter < Certificate.NotAfter ? notAfter : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(Certificate, start, end, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Writes <paramref name="member"/> (with its key) and this CA's certificate (without its key) to one PKCS#12
    /// file, readable by its owner only: everything a node or job client needs to join and to check its peers.
    /// </summary>
    public void Export(X509Certificate2 member, string path)
    {
        ArgumentNullException.ThrowIfNull(member);
        using X509Certificate2 caPublic = X509CertificateLoader.LoadCertificate(Certificate.RawData);
        var bundle = new X509Certificate2Collection { member, caPublic };
        byte[] pfx = bundle.Export(X509ContentType.Pkcs12) ?? throw new CryptographicException("the certificate could not be exported");
        PrivateFile.WriteAllBytes(path, pfx);
    }

    public void Dispose() => Certificate.Dispose();

    private static string Escape(string name)
    {
        if (name.IndexOfAny([',', '+', '"', '\\', '<', '>', ';', '=', '\n', '\r']) >= 0)
        {
            throw new ClusterConfigurationException($"certificate name '{name}' holds a character that has no place in a host name");
        }
        return name;
    }
}
