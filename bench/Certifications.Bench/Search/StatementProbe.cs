using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Search;

/// <summary>Runs one SQL statement alone: SQLite's query plan for it, and how long it takes with its rows read.</summary>
internal sealed class StatementProbe(string connectionString)
{
    public async Task PrintAsync(string title, string sql, IReadOnlyList<(string Name, object Value)> parameters, TextWriter output)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        output.WriteLine($"#### {title}");
        output.WriteLine("```sql");
        output.WriteLine(sql.Trim());
        output.WriteLine("```");
        output.WriteLine("Parameters: " + string.Join(", ", parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)).Select(p => $"{p.Name} = {p.Value}")));
        output.WriteLine("```text");
        await using (var plan = Command(connection, "EXPLAIN QUERY PLAN " + sql, parameters))
        {
            await using var reader = await plan.ExecuteReaderAsync();
            var depth = new Dictionary<long, int> { [0] = 0 };
            while (await reader.ReadAsync())
            {
                var level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
                depth[reader.GetInt64(0)] = level;
                output.WriteLine($"{new string(' ', 2 * (level - 1))}{reader.GetString(3)}");
            }
        }

        output.WriteLine("```");
        await using var run = Command(connection, sql, parameters);
        var times = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using (var reader = await run.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                }
            }

            if (i >= 5)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Alone: median {times[times.Count / 2]:F2} ms over {times.Count} runs."));
        output.WriteLine();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
