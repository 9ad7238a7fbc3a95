using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Infrastructure;

/// <summary>The statements EF Core sends, with their parameter values: how many a service needs, and how SQLite plans them.</summary>
public sealed class CommandLog : DbCommandInterceptor
{
    private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> commands = [];

    public int Count => commands.Count;

    /// <summary>The text of each statement logged, in order: what to read when a count is off.</summary>
    public IReadOnlyList<string> Statements => [.. commands.Select(c => c.Sql)];

    public void Clear() => commands.Clear();

    /// <summary>SQLite's query plan for each statement logged, one line per step.</summary>
    public async Task<IReadOnlyList<string>> PlansAsync(TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var plans = new List<string>();
        foreach (var (sql, parameters) in commands)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plans.Add(reader.GetString(3));
            }
        }

        return plans;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Record(DbCommand command) =>
        commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
}
