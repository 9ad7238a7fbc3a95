using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Certifications.Bench.Postgres;

/// <summary>
/// Copies every table of a SQLite data set into a migrated PostgreSQL database of the same schema, with COPY: the same
/// rows and ids, each column converted from SQLite's storage (0/1, instants in UTC as text or ticks) to PostgreSQL's type, then the
/// identity sequences moved past the ids copied and the statistics gathered. Foreign keys are not checked while copying
/// (the rows come from a database that held them).
/// </summary>
internal static class SqliteToPostgres
{
    public static async Task<long> CopyAsync(string sqliteFile, string postgres, TextWriter log)
    {
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqliteFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await source.OpenAsync();
        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync();
        await ExecuteAsync(target, "SET session_replication_role = replica; SET TIME ZONE 'UTC'");
        long rows = 0;
        foreach (var table in await TablesAsync(target))
        {
            var columns = await ColumnsAsync(target, table);
            if (!await ExistsAsync(source, table))
            {
                continue;
            }

            var copied = await CopyTableAsync(source, target, table, columns);
            if (copied > 0)
            {
                log.WriteLine($"  copied {copied:N0} rows of {table}");
            }

            rows += copied;
            if (columns.Any(c => c.Name == "Id" && c.Type is "integer" or "bigint"))
            {
                await ExecuteAsync(target, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), COALESCE((SELECT MAX("Id") FROM "{table}"), 0) + 1, false) WHERE pg_get_serial_sequence('"{table}"', 'Id') IS NOT NULL""");
            }
        }

        await ExecuteAsync(target, "SET session_replication_role = DEFAULT; ANALYZE");
        return rows;
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, NpgsqlConnection target, string table, List<(string Name, string Type)> columns)
    {
        var list = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var read = source.CreateCommand();
        read.CommandText = $"SELECT {list} FROM \"{table}\"";
        await using var reader = await read.ExecuteReaderAsync();
        await using var writer = await target.BeginTextImportAsync($"COPY \"{table}\" ({list}) FROM STDIN (FORMAT csv)");
        var line = new StringBuilder();
        long rows = 0;
        while (await reader.ReadAsync())
        {
            line.Clear();
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                if (!reader.IsDBNull(i))
                {
                    line.Append(Csv(reader.GetValue(i), columns[i].Type));
                }
            }

            await writer.WriteLineAsync(line.ToString());
            rows++;
        }

        return rows;
    }

    private static string Csv(object value, string type) => (value, type) switch
    {
        (long flag, "boolean") => flag != 0 ? "t" : "f",
        (string instant, "timestamp with time zone") => instant + "+00",
        // An instant SQLite stores as its ticks (an assignment's next transition).
        (long ticks, "timestamp with time zone") => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "+00",
        (byte[] bytes, _) => "\\x" + Convert.ToHexString(bytes),
        (double number, _) => number.ToString("R", CultureInfo.InvariantCulture),
        (long number, _) => number.ToString(CultureInfo.InvariantCulture),
        (string text, _) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static async Task<List<string>> TablesAsync(NpgsqlConnection target)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\_\_%' AND table_name NOT LIKE 'qrtz\_%'
            ORDER BY table_name
            """,
            target);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<(string Name, string Type)>> ColumnsAsync(NpgsqlConnection target, string table)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table ORDER BY ordinal_position",
            target);
        command.Parameters.AddWithValue("table", table);
        var columns = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    private static async Task<bool> ExistsAsync(SqliteConnection source, string table)
    {
        await using var command = source.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
