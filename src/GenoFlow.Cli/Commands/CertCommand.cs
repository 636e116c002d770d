using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using GenoFlow.Cli.CommandLine;
using GenoFlow.Engine.Security;

namespace GenoFlow.Cli.Commands;

/// <summary>
/// <c>genoflow cert init DIR</c> creates a cluster CA; <c>genoflow cert issue</c> a member certificate from it (a
/// PKCS#12 bundle a node or job client passes with --cert). No external tool needed.
/// </summary>
internal static class CertCommand
{
    public static Command Create()
    {
        var command = new Command("cert", "Create the cluster's certificate authority and issue member certificates for mutual TLS")
        {
            Init(),
            Issue(),
        };
        return command;
    }

    private static Command Init()
    {
        var directory = new Argument<string>("DIR") { Description = "Directory for the CA (ca.crt, and ca.key readable by its owner only); keep it off the cluster's machines" };
        var name = new Option<string>("--name") { Description = "The CA's common name", DefaultValueFactory = _ => "GenoFlow cluster CA" };
        var command = new Command("init", "Create a new cluster CA (refuses to overwrite an existing one)") { directory, name };
        command.SetWork((parse, _) =>
        {
            string dir = parse.GetValue(directory)!;
            using ClusterCertificateAuthority ca = ClusterCertificateAuthority.Create(dir, parse.GetValue(name)!);
            Console.WriteLine($"cluster CA '{ca.Certificate.Subject}' in {Path.GetFullPath(dir)}, valid until {ca.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; SHA-256 {ca.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}");
            return CommandRunner.Ok;
        });
        return command;
    }

    private static Command Issue()
    {
        var ca = new Option<string>("--ca") { Description = "CA directory from genoflow cert init", Required = true };
        var name = new Option<string>("--name") { Description = "Member name (host name or address; goes in the certificate's CN and SAN)", Required = true };
        var output = new Option<string>("--out") { Description = "PKCS#12 file to write (member certificate and key, CA certificate); not overwritten if it exists", Required = true };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => 365 };
        var command = new Command("issue", "Issue a certificate for a node or job client, signed by the cluster CA") { ca, name, output, days };
        command.SetWork((parse, _) =>
        {
            int validDays = parse.GetValue(days);
            if (validDays <= 0)
            {
                throw new CliUsageException("--days must be positive");
            }
            string outPath = parse.GetValue(output)!;
            using ClusterCertificateAuthority authority = ClusterCertificateAuthority.Load(parse.GetValue(ca)!);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            // Five minutes back: clocks of a cluster's machines are never quite equal.
            using X509Certificate2 member = authority.Issue(parse.GetValue(name)!, now.AddMinutes(-5), now.AddDays(validDays));
            authority.Export(member, outPath);
            Console.WriteLine($"certificate '{member.Subject}' in {Path.GetFullPath(outPath)}, valid until {member.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            return CommandRunner.Ok;
        });
        return command;
    }
}
