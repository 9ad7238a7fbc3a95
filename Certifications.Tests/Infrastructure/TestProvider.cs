using System.Security.Cryptography;
using System.Text;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// The database the suite runs on: SQLite, or PostgreSQL when <c>CERTIFICATIONS_TEST_PROVIDER=PostgreSQL</c> and
/// <c>CERTIFICATIONS_TEST_POSTGRES</c> is a connection string to a server (its database is ignored; the user may create
/// databases). On PostgreSQL every test gets a database of its own, copied from a template migrated once (named after
/// the migrations, so a changed schema gets a new one) and dropped after the test.
/// </summary>
public static class TestProvider
{
    public const string ProviderVariable = "CERTIFICATIONS_TEST_PROVIDER";
    public const string ServerVariable = "CERTIFICATIONS_TEST_POSTGRES";

    private const string DatabasePrefix = "certifications_test_";

    private const string TemplateCollation = "C";

    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// From PostgreSQL 15 on, a database is copied through the WAL unless told otherwise; copying the template's few
    /// megabytes of files is three times as fast.
    /// </summary>
    private static readonly Lazy<string> CopyStrategy = new(() =>
    {
        using var server = Open("postgres");
        return server.PostgreSqlVersion.Major >= 15 ? "STRATEGY FILE_COPY" : "";
    });

    public static bool IsPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    public static DatabaseProvider Provider => IsPostgreSql ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;

    /// <summary>Whether a PostgreSQL server is named: tests of what only PostgreSQL does run on it in either pass.</summary>
    public static bool HasPostgreSqlServer => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ServerVariable));

    /// <summary>A fresh, migrated PostgreSQL database of the test's own, dropped when disposed, whatever the suite runs on.</summary>
    public static PostgreSqlTestDatabase NewPostgreSqlDatabase() => new(CreatePostgreSqlDatabase());

    /// <summary>A fresh, migrated PostgreSQL database: its connection string.</summary>
    public static string CreatePostgreSqlDatabase()
    {
        var name = DatabasePrefix + Guid.NewGuid().ToString("N");
        Execute($"""CREATE DATABASE "{name}" TEMPLATE "{Template.Value}" {CopyStrategy.Value}""");
        return Connection(name);
    }

    /// <summary>Drops the database, closing whatever connections are still open on it (pooled ones included).</summary>
    public static void DropPostgreSqlDatabase(string connectionString)
    {
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Execute($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""");
    }

    /// <summary>
    /// The template, built once: from template0 with the C collation (text sorts by code point, as SQLite's BINARY
    /// does) and the server's character classes (so that a search that forgot the C collation would fold more than A to
    /// Z), migrated through the portal's own initializer, and only then given its name, so that a template that exists is
    /// a complete one. Test processes running at once take turns through an advisory lock.
    /// </summary>
    private static string CreateTemplate()
    {
        var name = DatabasePrefix + "template_" + MigrationsHash();
        using var server = Open("postgres");
        using (var locking = new NpgsqlCommand("SELECT pg_advisory_lock(727384)", server))
        {
            locking.ExecuteNonQuery();
        }

        using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", server);
        exists.Parameters.AddWithValue("name", name);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            var building = name + "_building";
            Execute($"""DROP DATABASE IF EXISTS "{building}" WITH (FORCE)""");
            Execute($"""CREATE DATABASE "{building}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '{TemplateCollation}'""");
            var connection = new NpgsqlConnectionStringBuilder(Connection(building)) { Pooling = false }.ConnectionString;
            var options = new DbContextOptionsBuilder<CertificationsDbContext>();
            new DatabaseSettings(DatabaseProvider.PostgreSql, connection).Configure(options);
            new DatabaseInitializer(new OptionsFactory(options.Options)).MigrateAsync().GetAwaiter().GetResult();
            Execute($"""ALTER DATABASE "{building}" RENAME TO "{name}" """);
            Execute($"""ALTER DATABASE "{name}" IS_TEMPLATE true""");
        }

        using var unlocking = new NpgsqlCommand("SELECT pg_advisory_unlock(727384)", server);
        unlocking.ExecuteNonQuery();
        return name;
    }

    /// <summary>The PostgreSQL migrations' ids and the template's collation, hashed: a template per schema.</summary>
    private static string MigrationsHash()
    {
        var options = new DbContextOptionsBuilder<CertificationsDbContext>();
        new DatabaseSettings(DatabaseProvider.PostgreSql, Connection("postgres")).Configure(options);
        using var db = new CertificationsDbContext(options.Options);
        var ids = string.Join(",", db.Database.GetMigrations().Append(TemplateCollation));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..16];
    }

    private static string Connection(string database)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ProviderVariable}=PostgreSQL needs {ServerVariable}, a connection string to a PostgreSQL server whose user may create databases (e.g. \"Host=127.0.0.1;Port=5432;Username=postgres\").");
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    private static NpgsqlConnection Open(string database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Connection(database)) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(string sql)
    {
        using var server = Open("postgres");
        using var command = new NpgsqlCommand(sql, server);
        command.ExecuteNonQuery();
    }

    private sealed class OptionsFactory(DbContextOptions<CertificationsDbContext> options) : IDbContextFactory<CertificationsDbContext>
    {
        public CertificationsDbContext CreateDbContext() => new(options);
    }
}

/// <summary>A PostgreSQL database of a test's own (<see cref="TestProvider.NewPostgreSqlDatabase"/>).</summary>
public sealed class PostgreSqlTestDatabase(string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync()
    {
        TestProvider.DropPostgreSqlDatabase(ConnectionString);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A test that needs a PostgreSQL server whichever database the suite runs on (the live updates between instances):
/// it runs whenever <c>CERTIFICATIONS_TEST_POSTGRES</c> names one (test.sh starts one before both passes), and is
/// skipped, saying so, without one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestProvider.HasPostgreSqlServer)
        {
            Skip = $"Needs a PostgreSQL server: set {TestProvider.ServerVariable} to a connection string (test.sh does).";
        }
    }
}

/// <summary>A test of something only SQLite has (a PRAGMA, its query planner, its files): skipped on PostgreSQL, saying why.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string reason)
    {
        Reason = reason;
        if (TestProvider.IsPostgreSql)
        {
            Skip = $"SQLite only: {reason}";
        }
    }

    public string Reason { get; }
}

/// <summary>A theory about something only SQLite has: skipped on PostgreSQL, saying why.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteOnlyTheoryAttribute : TheoryAttribute
{
    public SqliteOnlyTheoryAttribute(string reason)
    {
        Reason = reason;
        if (TestProvider.IsPostgreSql)
        {
            Skip = $"SQLite only: {reason}";
        }
    }

    public string Reason { get; }
}

/// <summary>
/// A test of something only PostgreSQL has (row locks between writers, the clustered scheduler, live updates between
/// instances): it runs in the PostgreSQL pass and is skipped in the SQLite pass, saying why.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlOnlyFactAttribute : FactAttribute
{
    public PostgreSqlOnlyFactAttribute(string reason)
    {
        Reason = reason;
        if (!TestProvider.IsPostgreSql)
        {
            Skip = $"PostgreSQL only: {reason}";
        }
    }

    public string Reason { get; }
}
