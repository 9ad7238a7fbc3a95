using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Enrolment;

/// <summary>A command as sent to SQLite, with the values its parameters are bound to.</summary>
internal sealed record Statement(string Title, string Sql, IReadOnlyList<(string Name, object Value)> Parameters);

/// <summary>
/// Writes cannot be timed alone over and over like the searches: each depends on the ones before. This runs a whole
/// sequence in one transaction and rolls it back, a few times: SQLite's plan of each statement, and its median time
/// where it stands in the sequence.
/// </summary>
internal sealed class StatementSequence(string connectionString)
{
    private const int ShownCharacters = 1_500;

    public async Task PrintAsync(string title, IReadOnlyList<Statement> statements, int runs, TextWriter output)
    {
        var times = statements.Select(_ => new List<double>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = connection.BeginTransaction();
            for (var i = 0; i < statements.Count; i++)
            {
                await using var command = Command(connection, transaction, statements[i].Sql, statements[i].Parameters);
                var started = Stopwatch.GetTimestamp();
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                    }
                }

                times[i].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            await transaction.RollbackAsync();
        }

        output.WriteLine($"#### {title}");
        output.WriteLine();
        var total = 0d;
        var medians = times.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
        var number = 0;

        // EF Core sends an insert per row: a run of the same statement is shown once, with its count and total.
        for (var first = 0; first < statements.Count;)
        {
            var last = first;
            while (last + 1 < statements.Count && statements[last + 1].Sql == statements[first].Sql)
            {
                last++;
            }

            var count = last - first + 1;
            var time = medians.Skip(first).Take(count).Sum();
            total += time;
            var statement = statements[first];
            output.WriteLine(count == 1
                ? string.Create(CultureInfo.InvariantCulture, $"{++number}. {statement.Title}: {time:F1} ms (median of {runs})")
                : string.Create(CultureInfo.InvariantCulture, $"{++number}. {statement.Title}, {count:N0} times: {time:F1} ms in all (sum of the medians of {runs})"));
            output.WriteLine();
            output.WriteLine("```sql");
            output.WriteLine(statement.Sql.Length <= ShownCharacters
                ? statement.Sql.Trim()
                : $"{statement.Sql[..ShownCharacters].Trim()} … ({statement.Sql.Length:N0} characters, {statement.Parameters.Count:N0} parameters)");
            output.WriteLine("```");
            if (IsOneStatement(statement.Sql) && await PlanAsync(statement) is { Count: > 0 } plan)
            {
                output.WriteLine("```text");
                plan.ForEach(output.WriteLine);
                output.WriteLine("```");
            }

            output.WriteLine();
            first = last + 1;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sum of the medians: {total:F1} ms."));
        output.WriteLine();
    }

    private async Task<List<string>> PlanAsync(Statement statement)
    {
        var lines = new List<string>();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var plan = Command(connection, null, "EXPLAIN QUERY PLAN " + statement.Sql, statement.Parameters);
        await using var reader = await plan.ExecuteReaderAsync();
        var depth = new Dictionary<long, int> { [0] = 0 };
        while (await reader.ReadAsync())
        {
            var level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
            depth[reader.GetInt64(0)] = level;
            lines.Add($"{new string(' ', 2 * (level - 1))}{reader.GetString(3)}");
        }

        return lines;
    }

    /// <summary>EF Core batches its inserts several to a command; only a single statement can be planned by prefixing it.</summary>
    private static bool IsOneStatement(string sql) => !sql.Trim().TrimEnd(';').Contains(';', StringComparison.Ordinal);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
