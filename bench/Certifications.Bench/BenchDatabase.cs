using Certifications.Core;
using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench;

/// <summary>
/// A fresh SQLite file in a temporary folder, migrated with the real migrations, and the portal's own Core services
/// on it. The folder goes away on dispose.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string folder, string connectionString)
    {
        Folder = folder;
        ConnectionString = connectionString;
    }

    public string Folder { get; }

    /// <summary>Leaves the file behind on dispose, to look into with the sqlite3 shell.</summary>
    public bool Keep { get; set; }

    public string FilePath => new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    /// <summary>What the portal would be configured with: a plain file, pooled connections.</summary>
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(CancellationToken ct = default)
    {
        var database = InNewFolder("catalog.db");
        await database.MigrateAsync(ct);
        return database;
    }

    /// <summary>A file of that name in a new temporary folder, not created yet: copy one there, or migrate.</summary>
    public static BenchDatabase InNewFolder(string fileName)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"certifications-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new BenchDatabase(folder, new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, fileName) }.ToString());
    }

    /// <summary>A file somewhere else, left where it is on dispose.</summary>
    public static BenchDatabase Existing(string filePath) =>
        new(Path.GetDirectoryName(Path.GetFullPath(filePath))!, new SqliteConnectionStringBuilder { DataSource = filePath }.ToString()) { Keep = true };

    /// <summary>Brings the file to the product's schema, as the portal does at start-up.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var services = CreateServices();
        await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(ct);
    }

    /// <summary>Core as the portal registers it, on this database; <paramref name="configure"/> may add to it.</summary>
    public ServiceProvider CreateServices(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Certifications"] = ConnectionString })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCertificationsCore(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task<string> SqliteVersionAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version();";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public long FileSize => new FileInfo(FilePath).Length;

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them before the folder goes.
        SqliteConnection.ClearAllPools();
        if (!Keep)
        {
            Directory.Delete(Folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
