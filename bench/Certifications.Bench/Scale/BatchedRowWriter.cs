using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Scale;

/// <summary>
/// A prepared multi-row INSERT, <see cref="RowsPerStatement"/> rows per run, and the same for a last partial batch.
/// SQLite looks parameters up by name, one scan of the statement's list each, so a few rows per statement cut the
/// per-call overhead without making binding quadratic.
/// </summary>
internal sealed class BatchedRowWriter : IDisposable
{
    public const int RowsPerStatement = 16;

    private readonly SqliteConnection connection;
    private readonly SqliteTransaction transaction;
    private readonly string table;
    private readonly string[] columns;
    private readonly SqliteCommand full;
    private readonly object?[] pending;
    private int pendingRows;

    public BatchedRowWriter(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.table = table;
        this.columns = columns;
        full = Prepare(RowsPerStatement);
        pending = new object?[RowsPerStatement * columns.Length];
    }

    public long Written { get; private set; }

    public void Write(params ReadOnlySpan<object?> values)
    {
        if (values.Length != columns.Length)
        {
            throw new ArgumentException($"{table} takes {columns.Length} values a row, not {values.Length}.", nameof(values));
        }

        values.CopyTo(pending.AsSpan(pendingRows * columns.Length));
        if (++pendingRows == RowsPerStatement)
        {
            Run(full, RowsPerStatement);
        }
    }

    /// <summary>Writes the rows still pending; called by <see cref="Dispose"/> too.</summary>
    public void Flush()
    {
        if (pendingRows > 0)
        {
            using var last = Prepare(pendingRows);
            Run(last, pendingRows);
        }
    }

    public void Dispose()
    {
        Flush();
        full.Dispose();
    }

    private void Run(SqliteCommand command, int rows)
    {
        // Taken off first: rows that failed are not sent again by the flush on dispose.
        pendingRows = 0;
        for (var i = 0; i < rows * columns.Length; i++)
        {
            command.Parameters[i].Value = pending[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
        Written += rows;
    }

    private SqliteCommand Prepare(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ");
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Length; column++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"$p{row * columns.Length + column}");
                sql.Append(column == 0 ? "" : ", ").Append(name);
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        command.Prepare();
        return command;
    }
}
