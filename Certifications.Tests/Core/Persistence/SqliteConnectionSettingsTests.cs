using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Persistence;

/// <summary>Every SQLite connection the portal opens reads the file mapped, with the larger page cache, and stays as durable.</summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"certifications-settings-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task EachConnectionTheContextOpensReadsTheFileMappedWithTheLargerCache()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}");
        var options = settings.Configure(new DbContextOptionsBuilder<CertificationsDbContext>()).Options;

        // Twice: the second context takes the first one's connection back from the pool.
        for (var i = 0; i < 2; i++)
        {
            await using var db = new CertificationsDbContext((DbContextOptions<CertificationsDbContext>)options);
            Assert.Equal(SqliteConnectionSettings.MappedBytes, await PragmaAsync(db, "mmap_size"));
            Assert.Equal(-SqliteConnectionSettings.CacheKibibytes, await PragmaAsync(db, "cache_size"));

            // SQLite's default: a commit is on disk when it returns.
            Assert.Equal(2, await PragmaAsync(db, "synchronous"));
        }
    }

    /// <summary>The pragma's value on the connection the context opens for its queries (taken from the pool).</summary>
    private static async Task<long> PragmaAsync(CertificationsDbContext db, string name)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }
    }
}
