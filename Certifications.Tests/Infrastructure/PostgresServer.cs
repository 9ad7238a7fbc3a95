using Npgsql;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests may use, named by the environment variable <see cref="Variable"/> (a connection
/// string with the right to create databases). test.sh starts one and sets it; without it, the tests that need the
/// server are skipped and say why.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "CERTIFICATIONS_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>A new empty database of its own on the server; dropped with the returned handle.</summary>
    public static async Task<ScratchDatabase> CreateDatabaseAsync()
    {
        var server = ConnectionString ?? throw new InvalidOperationException($"{Variable} is not set.");
        var name = $"certifications_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            await create.ExecuteNonQueryAsync();
        }

        return new ScratchDatabase(server, name);
    }

    public sealed class ScratchDatabase(string server, string name) : IAsyncDisposable
    {
        public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A test that needs the PostgreSQL server of <see cref="PostgresServer"/>; skipped, saying so, without one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.ConnectionString is null)
        {
            Skip = $"Needs a PostgreSQL server: set {PostgresServer.Variable} to a connection string (test.sh does).";
        }
    }
}
