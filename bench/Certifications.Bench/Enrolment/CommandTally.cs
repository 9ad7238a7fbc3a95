using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Bench.Enrolment;

/// <summary>
/// Counts the commands EF Core runs and how long SQLite took over them, by statement: where a long service call
/// spends its time, and how much of it is outside the database. For a query, also the rows read and the time until its
/// reader was done with (SQLite stepping through the rows and EF Core materialising them).
/// </summary>
internal sealed partial class CommandTally : DbCommandInterceptor
{
    private readonly Dictionary<string, (int Count, TimeSpan Duration)> tally = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Rows, TimeSpan Duration)> reading = new(StringComparer.Ordinal);

    public bool Enabled { get; set; }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Add(command, eventData);
        return base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Add(command, eventData);
        return base.NonQueryExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Add(command, eventData);
        return base.ScalarExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (Enabled)
        {
            var sql = Shape(command.CommandText);
            var (rows, duration) = reading.GetValueOrDefault(sql);
            reading[sql] = (rows + eventData.ReadCount, duration + eventData.Duration);
        }

        return base.DataReaderDisposing(command, eventData, result);
    }

    /// <summary>The statements by total time, as a Markdown table; <paramref name="wall"/> is the call's own time.</summary>
    public void Print(TimeSpan wall, TextWriter output)
    {
        output.WriteLine("| Statement (start) | Commands | Time in SQLite (ms) | Rows read | Until read (ms) |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (sql, (count, duration)) in tally.OrderByDescending(t => reading.TryGetValue(t.Key, out var r) ? r.Duration : t.Value.Duration))
        {
            var start = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
            start = start.Length <= 110 ? start : start[..110] + " …";
            var read = reading.TryGetValue(sql, out var r) ? string.Create(CultureInfo.InvariantCulture, $"{r.Rows:N0} | {r.Duration.TotalMilliseconds:F0}") : " | ";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{start.Replace("|", "\\|", StringComparison.Ordinal)}` | {count:N0} | {duration.TotalMilliseconds:F0} | {read} |"));
        }

        var commands = tally.Values.Sum(t => t.Count);
        var inSqlite = TimeSpan.FromTicks(tally.Values.Sum(t => t.Duration.Ticks));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{commands:N0} commands, {inSqlite.TotalMilliseconds:F0} ms until each returned, {TimeSpan.FromTicks(reading.Values.Sum(r => r.Duration.Ticks)).TotalMilliseconds:F0} ms until the queries' rows were read, of {wall.TotalMilliseconds:F0} ms in all."));
        output.WriteLine();
    }

    private void Add(DbCommand command, CommandExecutedEventData eventData)
    {
        if (!Enabled)
        {
            return;
        }

        var sql = Shape(command.CommandText);
        var (count, duration) = tally.GetValueOrDefault(sql);
        tally[sql] = (count + 1, duration + eventData.Duration);
    }

    /// <summary>
    /// A list of ids becomes a parameter each, as many as the batch has, and rows of values a list each: one statement
    /// whatever their number. Ids written into the text are folded the same way.
    /// </summary>
    private static string Shape(string sql) => IdList().Replace(ParameterList().Replace(sql, "@…"), "(…)");

    [GeneratedRegex(@"@[A-Za-z_]+\d*(?:(?:, |\), \()@[A-Za-z_]+\d*)+")]
    private static partial Regex ParameterList();

    [GeneratedRegex(@"\(\d+(?:, \d+)*\)")]
    private static partial Regex IdList();
}
