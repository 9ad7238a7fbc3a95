using Certifications.Core;
using Certifications.Core.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Certifications.Bench.Postgres;

/// <summary>
/// A database of the bench's own on a PostgreSQL server (the server's user creates it, so it may create databases),
/// with the C collation as the tests use, the portal's own Core services on it, and dropped on dispose.
/// </summary>
internal sealed class PostgresBenchDatabase : IAsyncDisposable
{
    private readonly string server;

    private PostgresBenchDatabase(string server, string name)
    {
        this.server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>An empty database, migrated by the portal's initializer.</summary>
    public static async Task<PostgresBenchDatabase> CreateMigratedAsync(string server)
    {
        var database = new PostgresBenchDatabase(server, $"certifications_bench_{Guid.NewGuid():N}");
        await ExecuteAsync(server, $"""CREATE DATABASE "{database.Name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'""");
        await using var services = database.CreateServices();
        await services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        return database;
    }

    /// <summary>A copy of this database, file by file (nobody may be connected to it meanwhile).</summary>
    public async Task<PostgresBenchDatabase> CopyAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var copy = new PostgresBenchDatabase(server, $"certifications_bench_{Guid.NewGuid():N}");
        await ExecuteAsync(server, $"""CREATE DATABASE "{copy.Name}" TEMPLATE "{Name}" STRATEGY FILE_COPY""");
        return copy;
    }

    /// <summary>Core as the portal registers it on PostgreSQL; <paramref name="configure"/> may add to it.</summary>
    public ServiceProvider CreateServices(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Certifications"] = ConnectionString,
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCertificationsCore(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task<string> VersionAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"""DROP DATABASE IF EXISTS "{Name}" WITH (FORCE)""");
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
