using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Certifications.Core.Persistence;

/// <summary>
/// The SQL a hand-written statement is written in. Each feature that needs one keeps its statements for both side by
/// side, in one small class, and picks them with <see cref="SqlDialects.Of"/>: the rest of its code is the same on both.
/// </summary>
internal enum SqlDialect
{
    /// <summary>Rows read with json_each; instants stored as text, in the form EF Core writes them.</summary>
    Sqlite,

    /// <summary>Rows read with jsonb_array_elements and cast to each column's type; instants as timestamptz (UTC).</summary>
    PostgreSql,
}

internal static class SqlDialects
{
    public static SqlDialect Of(DatabaseFacade database) => database.IsNpgsql() ? SqlDialect.PostgreSql : SqlDialect.Sqlite;
}
