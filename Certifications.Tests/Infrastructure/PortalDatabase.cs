using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// A database of its own for a portal under test, on the suite's provider (<see cref="TestProvider"/>): a SQLite file in
/// the folder given, or a fresh PostgreSQL database, dropped on dispose.
/// </summary>
public sealed class PortalDatabase : IDbContextFactory<CertificationsDbContext>, IDisposable
{
    private readonly DbContextOptions<CertificationsDbContext> options;

    private PortalDatabase(DatabaseSettings settings, string? filePath)
    {
        Settings = settings;
        FilePath = filePath;
        var builder = new DbContextOptionsBuilder<CertificationsDbContext>();
        settings.Configure(builder);
        options = builder.Options;
    }

    public DatabaseSettings Settings { get; }

    /// <summary>The SQLite file; null on PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>What the portal is given to use this database.</summary>
    public IReadOnlyDictionary<string, string> PortalSettings => new Dictionary<string, string>
    {
        ["Database:Provider"] = Settings.Provider == DatabaseProvider.PostgreSql ? "PostgreSQL" : "Sqlite",
        ["ConnectionStrings:Certifications"] = Settings.ConnectionString,
    };

    public static PortalDatabase Create(string folder)
    {
        if (TestProvider.IsPostgreSql)
        {
            return new PortalDatabase(new DatabaseSettings(DatabaseProvider.PostgreSql, TestProvider.CreatePostgreSqlDatabase()), filePath: null);
        }

        var path = Path.Combine(folder, "portal.db");
        return new PortalDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}"), path);
    }

    public CertificationsDbContext CreateDbContext() => new(options);

    public void Dispose()
    {
        if (FilePath is null)
        {
            TestProvider.DropPostgreSqlDatabase(Settings.ConnectionString);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
