using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// A private SQLite database file, migrated with the real migrations, each context on its own connection as in the
/// portal: a page reloading on an event while the test acts reads beside it rather than on a shared connection in the
/// middle of another statement. The migrations run once per test run, into a template copied for each test.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Folder = CreateFolder();
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? template;

    private readonly string path;

    private TestDatabase(string path, IDbContextFactory<CertificationsDbContext> factory)
    {
        this.path = path;
        Factory = factory;
    }

    public IDbContextFactory<CertificationsDbContext> Factory { get; }

    /// <param name="interceptors">To watch what the contexts send to the database.</param>
    public static async Task<TestDatabase> CreateAsync(params IInterceptor[] interceptors)
    {
        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
        File.Copy(await TemplateAsync(), path);
        var options = new DbContextOptionsBuilder<CertificationsDbContext>().UseSqlite(ConnectionString(path)).AddInterceptors(interceptors).Options;
        return new TestDatabase(path, new OptionsContextFactory(options));
    }

    public CertificationsDbContext CreateContext() => Factory.CreateDbContext();

    public ValueTask DisposeAsync()
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Unpooled: the file is deleted with the test, and no connection outlives it.</summary>
    private static string ConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();

    /// <summary>One folder per test run, removed when the run ends.</summary>
    private static string CreateFolder()
    {
        var folder = Directory.CreateTempSubdirectory("certifications-test-databases-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held is left in the temporary folder; it is not part of any result.
            }
        };
        return folder;
    }

    private static async Task<string> TemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (template is null)
            {
                var file = Path.Combine(Folder, "template.db");
                var options = new DbContextOptionsBuilder<CertificationsDbContext>().UseSqlite(ConnectionString(file)).Options;
                await new DatabaseInitializer(new OptionsContextFactory(options)).MigrateAsync();

                // Everything in the main file, so that a copy of that file alone is the whole database.
                await using var connection = new SqliteConnection(ConnectionString(file));
                await connection.OpenAsync();
                await using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await checkpoint.ExecuteNonQueryAsync();
                template = file;
            }

            return template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private sealed class OptionsContextFactory(DbContextOptions<CertificationsDbContext> options) : IDbContextFactory<CertificationsDbContext>
    {
        public CertificationsDbContext CreateDbContext() => new(options);
    }
}
