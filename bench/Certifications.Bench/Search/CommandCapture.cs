using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Bench.Search;

/// <summary>A SQL statement as EF Core sent it, with its parameter values.</summary>
internal sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object Value)> Parameters);

/// <summary>
/// Records every command EF Core runs. <c>ToQueryString()</c> shows one query; this also shows the COUNT that
/// paging runs, the follow-up queries and the writes, which is what an operation really costs.
/// </summary>
internal sealed class CommandCapture : DbCommandInterceptor
{
    private readonly List<CapturedCommand> commands = [];

    public IReadOnlyList<CapturedCommand> Commands => commands;

    public void Clear() => commands.Clear();

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
        commands.Add(new CapturedCommand(
            command.CommandText,
            [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value))]));
}
