using System.Security.Cryptography.X509Certificates;
using GenoFlow.Engine.Security;

namespace GenoFlow.Engine.Tests.Security;

/// <summary>The peer check mutual TLS runs on every connection, on real certificates from real CAs.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("genoflow-tls-").FullName;

    [Fact]
    public void A_member_certificate_from_the_cluster_ca_is_accepted()
    {
        using ClusterCertificateAuthority ca = ClusterCertificateAuthority.Create(Path.Combine(_dir, "ca"));
        using ClusterTls tls = Bundle(ca, "node-a", TimeSpan.FromMinutes(-1), TimeSpan.FromDays(30));
        using X509Certificate2 peer = ca.Issue("node-b", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Null(tls.Check(peer));
        Assert.Equal("CN=node-a", tls.Certificate.Subject);
    }

    [Fact]
    public void A_certificate_from_another_ca_is_refused_naming_it()
    {
        using ClusterCertificateAuthority ca = ClusterCertificateAuthority.Create(Path.Combine(_dir, "ca"));
        using ClusterCertificateAuthority other = ClusterCertificateAuthority.Create(Path.Combine(_dir, "other"), "Someone else's CA");
        using ClusterTls tls = Bundle(ca, "node-a", TimeSpan.FromMinutes(-1), TimeSpan.FromDays(30));
        using X509Certificate2 rogue = other.Issue("rogue", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        string? problem = tls.Check(rogue);

        Assert.NotNull(problem);
        Assert.Contains("'CN=rogue'", problem, StringComparison.Ordinal);
        Assert.Contains("not issued by this cluster's CA", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_is_refused_as_a_peer_and_as_ones_own()
    {
        using ClusterCertificateAuthority ca = ClusterCertificateAuthority.Create(Path.Combine(_dir, "ca"));
        using ClusterTls tls = Bundle(ca, "node-a", TimeSpan.FromMinutes(-1), TimeSpan.FromDays(30));
        using X509Certificate2 expired = ca.Issue("old", DateTimeOffset.UtcNow.AddMinutes(-3), DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Contains("'CN=old' expired on", tls.Check(expired), StringComparison.Ordinal);
        string path = Path.Combine(_dir, "old.pfx");
        ca.Export(expired, path);
        var error = Assert.Throws<IOException>(() => ClusterTls.Load(path));
        Assert.Contains("expired on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_material_is_never_overwritten_and_the_ca_key_is_private()
    {
        string caDir = Path.Combine(_dir, "ca");
        using ClusterCertificateAuthority ca = ClusterCertificateAuthority.Create(caDir);

        Assert.Throws<IOException>(() => ClusterCertificateAuthority.Create(caDir));
        using X509Certificate2 member = ca.Issue("n", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        string path = Path.Combine(_dir, "n.pfx");
        ca.Export(member, path);
        Assert.Throws<IOException>(() => ca.Export(member, path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(caDir, ClusterCertificateAuthority.KeyFileName)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        using ClusterCertificateAuthority loaded = ClusterCertificateAuthority.Load(caDir);
        Assert.Equal(ca.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ClusterTls Bundle(ClusterCertificateAuthority ca, string name, TimeSpan from, TimeSpan to)
    {
        using X509Certificate2 member = ca.Issue(name, DateTimeOffset.UtcNow.Add(from), DateTimeOffset.UtcNow.Add(to));
        string path = Path.Combine(_dir, name + ".pfx");
        ca.Export(member, path);
        return ClusterTls.Load(path);
    }
}
