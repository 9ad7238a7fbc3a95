using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// A private SQLite database in memory, migrated with the real migrations. The connection stays open for the
/// lifetime of the test, since an in-memory database disappears with its last connection.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly SqliteConnection connection;

    private TestDatabase(SqliteConnection connection, IDbContextFactory<CertificationsDbContext> factory)
    {
        this.connection = connection;
        Factory = factory;
    }

    public IDbContextFactory<CertificationsDbContext> Factory { get; }

    /// <param name="interceptors">To watch what the contexts send to the database.</param>
    public static async Task<TestDatabase> CreateAsync(params IInterceptor[] interceptors)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<CertificationsDbContext>().UseSqlite(connection).AddInterceptors(interceptors).Options;
        var factory = new OptionsContextFactory(options);
        await new DatabaseInitializer(factory).MigrateAsync();
        return new TestDatabase(connection, factory);
    }

    public CertificationsDbContext CreateContext() => Factory.CreateDbContext();

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private sealed class OptionsContextFactory(DbContextOptions<CertificationsDbContext> options) : IDbContextFactory<CertificationsDbContext>
    {
        public CertificationsDbContext CreateDbContext() => new(options);
    }
}
