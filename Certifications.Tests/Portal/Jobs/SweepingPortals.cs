using Certifications.Tests.Infrastructure;

namespace Certifications.Tests.Portal.Jobs;

/// <summary>
/// A temporary folder and database for portals started as child processes with the scheduler on (the crash and the
/// cluster tests), both removed afterwards.
/// </summary>
internal sealed class SweepingPortals : IDisposable
{
    public SweepingPortals(string name)
    {
        Folder = Directory.CreateTempSubdirectory($"certifications-{name}-").FullName;
        Database = PortalDatabase.Create(Folder);
    }

    public string Folder { get; }

    public PortalDatabase Database { get; }

    /// <summary>No demo data, the scheduler on with a long interval (only its start-up run sweeps), small batches, its runs logged, any free port.</summary>
    public Dictionary<string, string> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>(Database.PortalSettings)
        {
            ["Demo:Seed"] = "false",
            ["Scheduler:Enabled"] = "true",
            ["Scheduler:IntervalMinutes"] = "600",
            ["Scheduler:BatchSize"] = "25",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Certifications.Core.Renewals"] = "Information",
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Dispose()
    {
        Database.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temporary folder; it is not part of any result.
        }
    }
}
