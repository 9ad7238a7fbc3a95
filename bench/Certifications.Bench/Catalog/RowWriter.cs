using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Catalog;

/// <summary>One prepared INSERT, run once per row with new values.</summary>
internal sealed class RowWriter : IDisposable
{
    private readonly SqliteCommand command;

    public RowWriter(SqliteConnection connection, SqliteTransaction transaction, string insert)
    {
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = insert;
        for (var i = 0; insert.Contains($"$p{i}", StringComparison.Ordinal); i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        }

        command.Prepare();
    }

    public void Write(params ReadOnlySpan<object> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    public void Dispose() => command.Dispose();
}
