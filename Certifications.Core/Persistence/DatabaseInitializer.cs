using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Certifications.Core.Persistence;

/// <summary>Brings the database to the current schema at start-up.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<CertificationsDbContext> factory)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            if (!IsInMemory(connection.ConnectionString))
            {
                // Readers never wait for the writer, and a crash mid-write loses nothing committed.
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
                await db.Database.CloseConnectionAsync();
            }
        }
        else if (db.Database.IsNpgsql())
        {
            // On an empty database EF Core reads the migrations' history before creating its table, and logs that read
            // as a failed command: the table is created first, so a first start logs no error that is none.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        }

        await db.Database.MigrateAsync(ct);
    }

    private static bool IsInMemory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:";
    }
}
