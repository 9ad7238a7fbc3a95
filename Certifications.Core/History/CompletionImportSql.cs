using Certifications.Core.Persistence;

namespace Certifications.Core.History;

/// <summary>
/// The import's statements on each database, side by side: {0} the rows as one JSON parameter, in the order
/// <see cref="CompletionImport"/> writes them. PostgreSQL casts each value to its column's type and returns instants as the
/// text SQLite stores them, so that both are read alike.
/// </summary>
internal static class ImportSql
{
    private const string SqliteStoredKeys = """
        SELECT c."LearnerId", c."CertificationId", c."CompletedAt"
        FROM json_each({0}) AS v
        CROSS JOIN "CompletionRecords" AS c
            ON c."LearnerId" = v.value ->> 0 AND c."CertificationId" = v.value ->> 1 AND c."CompletedAt" = v.value ->> 2
        """;

    private const string PostgreSqlStoredKeys = """
        SELECT c."LearnerId", c."CertificationId", to_char(c."CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "CompletedAt"
        FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
        JOIN "CompletionRecords" AS c
            ON c."LearnerId" = (v.value ->> 0)::integer AND c."CertificationId" = (v.value ->> 1)::integer AND c."CompletedAt" = (v.value ->> 2)::timestamptz
        """;

    private const string SqliteAssignmentsOf = """
        SELECT a."Id", a."LearnerId", a."CertificationId"
        FROM json_each({0}) AS v
        CROSS JOIN "Assignments" AS a ON a."CertificationId" = v.value ->> 1 AND a."LearnerId" = v.value ->> 0
        """;

    private const string PostgreSqlAssignmentsOf = """
        SELECT a."Id", a."LearnerId", a."CertificationId"
        FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
        JOIN "Assignments" AS a ON a."CertificationId" = (v.value ->> 1)::integer AND a."LearnerId" = (v.value ->> 0)::integer
        """;

    /// <summary>{1} who records, {2} when.</summary>
    private const string SqliteInsert = """
        INSERT INTO "CompletionRecords" ("LearnerId", "CertificationId", "Source", "CompletedAt", "ExpiresAt", "Evidence", "RecordedBy", "RecordedAt")
        SELECT v.value ->> 0, v.value ->> 1, 'Imported', v.value ->> 2, v.value ->> 3, v.value ->> 4, {1}, {2}
        FROM json_each({0}) AS v
        RETURNING "Id", "LearnerId", "CertificationId", "CompletedAt"
        """;

    private const string PostgreSqlInsert = """
        INSERT INTO "CompletionRecords" ("LearnerId", "CertificationId", "Source", "CompletedAt", "ExpiresAt", "Evidence", "RecordedBy", "RecordedAt")
        SELECT (v.value ->> 0)::integer, (v.value ->> 1)::integer, 'Imported', (v.value ->> 2)::timestamptz, (v.value ->> 3)::timestamptz, v.value ->> 4, {1}, {2}
        FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
        RETURNING "Id", "LearnerId", "CertificationId", to_char("CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "CompletedAt"
        """;

    /// <summary>The records already stored under the rows' keys (learner, certification, completed at).</summary>
    public static string StoredKeys(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSqlStoredKeys : SqliteStoredKeys;

    /// <summary>The assignments of the rows' (learner, certification) pairs.</summary>
    public static string AssignmentsOf(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSqlAssignmentsOf : SqliteAssignmentsOf;

    /// <summary>Inserts the rows (learner, certification, completed at, expires at, evidence) as imported records, returning their ids by key.</summary>
    public static string Insert(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSqlInsert : SqliteInsert;
}
