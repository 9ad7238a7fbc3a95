using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// The real portal on its own database (a SQLite file in a temporary folder, or a fresh PostgreSQL database: see
/// <see cref="TestProvider"/>), optionally on a real Kestrel port for the browser. Settings given here are applied after
/// the portal's own configuration, so they win.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly string folder = Directory.CreateTempSubdirectory("certifications-tests-").FullName;
    private readonly PortalDatabase database;
    private readonly Dictionary<string, string?> settings;

    private readonly string environment;
    private readonly Action<IServiceCollection>? testServices;

    /// <param name="testServices">Replaces the portal's services, after its own registrations: a fake clock, for one.</param>
    public PortalFactory(
        bool seedDemoData = true,
        IDictionary<string, string?>? extraSettings = null,
        string environment = "Development",
        Action<IServiceCollection>? testServices = null)
    {
        this.environment = environment;
        this.testServices = testServices;
        database = PortalDatabase.Create(folder);
        settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.PortalSettings["Database:Provider"],
            ["ConnectionStrings:Certifications"] = database.PortalSettings["ConnectionStrings:Certifications"],
            ["Demo:Seed"] = seedDemoData ? "true" : "false",

            // Tests decide every result themselves; the feed is tried on its own where a test turns it on.
            ["Demo:Feed:Enabled"] = "false",

            // The scheduler runs where a test starts it; elsewhere its runs would only add writes to wait for.
            ["Scheduler:Enabled"] = "false",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    /// <summary>The portal's connection string (its SQLite file or its PostgreSQL database): another instance on the same database uses it.</summary>
    public string ConnectionString => database.PortalSettings["ConnectionStrings:Certifications"];

    /// <summary>The portal's SQLite file; SQLite only.</summary>
    public string DatabasePath => database.FilePath ?? throw new InvalidOperationException("The portal is on PostgreSQL: it has no database file.");

    /// <summary>Starts the portal on a free loopback port and returns its address.</summary>
    public Uri StartOnRealPort()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Task.Run(database.Dispose);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temporary folder; it is not part of any result.
        }
    }
}
