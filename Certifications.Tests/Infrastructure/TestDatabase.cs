using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// A private database migrated with the real migrations, each context on its own connection as in the portal: a page
/// reloading on an event while the test acts reads beside it rather than on a shared connection in the middle of another
/// statement. On SQLite a file, on PostgreSQL (<see cref="TestProvider"/>) a database of its own; either way a copy of a
/// template the migrations ran into once per test run, removed with the test.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Folder = CreateFolder();
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? template;

    private readonly string? path;
    private readonly string? postgreSql;

    private TestDatabase(string? path, string? postgreSql, IDbContextFactory<CertificationsDbContext> factory)
    {
        this.path = path;
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
            return new TestDatabase(null, database, new OptionsContextFactory(builder.AddInterceptors(interceptors).Options));
        }

        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
        File.Copy(await TemplateAsync(), path);
        var options = new DbContextOptionsBuilder<CertificationsDbContext>().UseSqlite(ConnectionString(path)).AddInterceptors(interceptors).Options;
        return new TestDatabase(path, null, new OptionsContextFactory(options));
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
        if (postgreSql is not null)
        {
            await Task.Run(() => TestProvider.DropPostgreSqlDatabase(postgreSql));
            return;
        }

        foreach (var file in new[] { path!, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
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
