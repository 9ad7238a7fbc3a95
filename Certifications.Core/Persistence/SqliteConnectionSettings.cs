using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Core.Persistence;

/// <summary>
/// How each SQLite connection reads the file: through memory mapping, and with a larger page cache than SQLite's 2 MB.
/// Ingestion and the recompute read thousands of scattered index pages per batch; mapped, a page is read without a
/// system call, and a batch's second look at a page finds it cached. Durability is untouched: the journal stays WAL
/// with SQLite's default FULL synchronous, so an accepted result survives a power cut. Measured in BENCHMARKS.md.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    /// <summary>Up to 2 GB of the file mapped (SQLite's own ceiling); the pages stay in the system's file cache, shared by every connection.</summary>
    public const long MappedBytes = 2_147_418_112;

    /// <summary>The page cache of each connection, in KiB (SQLite reads a negative size as KiB).</summary>
    public const int CacheKibibytes = 16_384;

    private static readonly string Pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size={MappedBytes}; PRAGMA cache_size=-{CacheKibibytes};");

    public static SqliteConnectionSettings Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
