using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Certifications.Core.Persistence;

/// <summary>The database engines the portal runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the portal: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, for more than one machine.</summary>
    PostgreSql,
}

/// <summary>
/// Which database the portal uses: <c>Database:Provider</c> (<c>Sqlite</c>, the default, or <c>PostgreSQL</c>) and
/// <c>ConnectionStrings:Certifications</c>. One context type serves both; each provider has its own migrations (SQLite's
/// in this assembly, PostgreSQL's in <see cref="PostgreSqlMigrationsAssembly"/>), both describing the same model.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string PostgreSqlMigrationsAssembly = "Certifications.Migrations.PostgreSql";

    /// <summary>Reads and checks the settings; a wrong or missing one stops the portal with what to write instead.</summary>
    public static DatabaseSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = ParseProvider(configuration["Database:Provider"]);
        var connectionString = configuration.GetConnectionString("Certifications");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(provider == DatabaseProvider.Sqlite
                ? "ConnectionStrings:Certifications is missing. For SQLite, name the database file, e.g. \"Data Source=certifications.db\"."
                : "ConnectionStrings:Certifications is missing. For PostgreSQL, give the server and database, e.g. \"Host=localhost;Database=certifications;Username=certifications;Password=...\".");
        }

        return new DatabaseSettings(provider, Checked(provider, connectionString));
    }

    /// <summary>
    /// The context's options for this database: the provider, its connection and its migrations; on SQLite, how each
    /// connection reads the file (<see cref="SqliteConnectionSettings"/>).
    /// </summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Provider == DatabaseProvider.PostgreSql
            ? options.UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly))
            : options.UseSqlite(ConnectionString).AddInterceptors(SqliteConnectionSettings.Instance);
    }

    private static string NameOf(DatabaseProvider provider) => provider == DatabaseProvider.PostgreSql ? "PostgreSQL" : "SQLite";

    private static DatabaseProvider ParseProvider(string? value) => value?.Trim() switch
    {
        null or "" => DatabaseProvider.Sqlite,
        var name when name.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => DatabaseProvider.Sqlite,
        var name when name.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase) => DatabaseProvider.PostgreSql,
        var name => throw new InvalidOperationException(
            $"Database:Provider is \"{name}\", which is not a database the portal runs on. Use \"Sqlite\" (the default) or \"PostgreSQL\"."),
    };

    /// <summary>A connection string the provider cannot read is refused now, naming the setting, not at the first query.</summary>
    private static string Checked(DatabaseProvider provider, string connectionString)
    {
        try
        {
            if (provider == DatabaseProvider.PostgreSql)
            {
                if (string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host))
                {
                    throw new ArgumentException("It names no Host.");
                }
            }
            else
            {
                _ = new SqliteConnectionStringBuilder(connectionString);
            }
        }
        catch (ArgumentException ex)
        {
            var example = provider == DatabaseProvider.PostgreSql
                ? "\"Host=localhost;Database=certifications;Username=certifications;Password=...\""
                : "\"Data Source=certifications.db\"";
            throw new InvalidOperationException(
                $"ConnectionStrings:Certifications is not a {NameOf(provider)} connection string ({ex.Message}). Database:Provider is {NameOf(provider)}: write one such as {example}.", ex);
        }

        return connectionString;
    }
}
