using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Certifications.Core.Persistence;

internal static class UniqueViolation
{
    /// <summary>Whether a unique index refused the save: SQLite's SQLITE_CONSTRAINT_UNIQUE (2067), PostgreSQL's 23505.</summary>
    public static bool Caused(DbUpdateException ex) =>
        ex.InnerException is SqliteException { SqliteExtendedErrorCode: 2067 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
