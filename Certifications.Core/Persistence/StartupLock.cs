using Npgsql;

namespace Certifications.Core.Persistence;

/// <summary>
/// Lets one portal at a time prepare the database at start (migrations, roles, demo data, the first administrator), so
/// that instances started together on one PostgreSQL database take turns instead of racing to create the same rows: a
/// session advisory lock, held on a connection of its own until disposed. SQLite is one machine's file, opened by one
/// portal: nothing to take.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The lock's key among the database's advisory locks ("cert" in ASCII).</summary>
    private const long Key = 0x63657274;

    private readonly NpgsqlConnection? connection;

    private StartupLock(NpgsqlConnection? connection) => this.connection = connection;

    public static async Task<StartupLock> AcquireAsync(DatabaseSettings database, CancellationToken ct = default)
    {
        if (database.Provider != DatabaseProvider.PostgreSql)
        {
            return new StartupLock(connection: null);
        }

        // Unpooled: closing it ends the session, and so releases the lock, whatever happened meanwhile.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync(ct);
            return new StartupLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closing the session releases its advisory locks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
