using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// A private database migrated with the real migrations: SQLite in memory, or on PostgreSQL (<see cref="TestProvider"/>)
/// a fresh database of its own, dropped on dispose. The SQLite connection stays open for the lifetime of the test, since
/// an in-memory database disappears with its last connection.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly SqliteConnection? connection;
    private readonly string? postgreSql;

    private TestDatabase(SqliteConnection? connection, string? postgreSql, IDbContextFactory<CertificationsDbContext> factory)
    {
        this.connection = connection;
        this.postgreSql = postgreSql;
        Factory = factory;
    }

    public IDbContextFactory<CertificationsDbContext> Factory { get; }

    public bool IsPostgreSql => postgreSql is not null;

    /// <param name="interceptors">To watch what the contexts send to the database.</param>
    public static async Task<TestDatabase> CreateAsync(params IInterceptor[] interceptors)
    {
        if (TestProvider.IsPostgreSql)
        {
            var database = await Task.Run(TestProvider.CreatePostgreSqlDatabase);
            var builder = new DbContextOptionsBuilder<CertificationsDbContext>();
            new DatabaseSettings(DatabaseProvider.PostgreSql, database).Configure(builder);
            var migrated = new OptionsContextFactory(builder.AddInterceptors(interceptors).Options);
            await new DatabaseInitializer(migrated).MigrateAsync();
            return new TestDatabase(null, database, migrated);
        }

        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<CertificationsDbContext>().UseSqlite(connection).AddInterceptors(interceptors).Options;
        var factory = new OptionsContextFactory(options);
        await new DatabaseInitializer(factory).MigrateAsync();
        return new TestDatabase(connection, null, factory);
    }

    public CertificationsDbContext CreateContext() => Factory.CreateDbContext();

    /// <summary>Makes the database refuse every row inserted into the table, with the message: a failure in the middle of a write.</summary>
    public async Task RefuseInsertsIntoAsync(string table, string message)
    {
        // The table and the message are the test's own words, not input.
        var trigger = IsPostgreSql
            ? $"""
              CREATE FUNCTION "Refuse{table}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$;
              CREATE TRIGGER "Refuse{table}" BEFORE INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION "Refuse{table}"();
              """
            : $"""CREATE TRIGGER "Refuse{table}" BEFORE INSERT ON "{table}" BEGIN SELECT RAISE(ABORT, '{message}'); END""";
        await using var db = CreateContext();
        await db.Database.ExecuteSqlRawAsync(trigger);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (postgreSql is not null)
        {
            await Task.Run(() => TestProvider.DropPostgreSqlDatabase(postgreSql));
        }
    }

    private sealed class OptionsContextFactory(DbContextOptions<CertificationsDbContext> options) : IDbContextFactory<CertificationsDbContext>
    {
        public CertificationsDbContext CreateDbContext() => new(options);
    }
}
