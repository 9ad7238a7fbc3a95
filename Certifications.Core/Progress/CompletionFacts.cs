using System.Runtime.CompilerServices;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Progress;

/// <summary>Reads the completion records the rules take next to the results: those not revoked, of the assignments' learners and certifications.</summary>
internal static class CompletionFacts
{
    /// <summary>
    /// The records of each assignment (id, learner, certification), in one statement whatever their number, the assignments
    /// as one JSON parameter; each seeks the (learner, certification, completed-at) index.
    /// </summary>
    public static async Task<ILookup<int, CompletionFact>> LoadAsync(
        CertificationsDbContext db, IEnumerable<(int AssignmentId, int LearnerId, int CertificationId)> assignments, CancellationToken ct)
    {
        var dialect = SqlDialects.Of(db.Database);
        var scope = ProgressWrites.Json(assignments.Select(a => new object?[] { a.AssignmentId, a.LearnerId, a.CertificationId }), dialect);
        var rows = await db.Database.SqlQuery<StoredCompletion>(FormattableStringFactory.Create(Sql.For(dialect), scope)).ToListAsync(ct);
        return rows.ToLookup(
            r => r.AssignmentId,
            r => new CompletionFact(
                r.Id,
                Enum.Parse<CompletionSource>(r.Source),
                ProgressRecompute.StoredInstant(r.CompletedAt),
                r.ExpiresAt is null ? null : ProgressRecompute.StoredInstant(r.ExpiresAt),
                r.Evidence));
    }

    /// <summary>
    /// <see cref="LoadAsync"/>'s statement on each database: {0} the assignments (id, learner, certification) as JSON.
    /// PostgreSQL returns the instants as the text SQLite stores them, so that both are read alike.
    /// </summary>
    private static class Sql
    {
        private const string Sqlite = """
            WITH a AS MATERIALIZED (
                SELECT value ->> 0 AS "Id", value ->> 1 AS "LearnerId", value ->> 2 AS "CertificationId" FROM json_each({0})
            )
            SELECT a."Id" AS "AssignmentId", c."Id", c."Source", c."CompletedAt", c."ExpiresAt", c."Evidence"
            FROM a
            CROSS JOIN "CompletionRecords" AS c ON c."LearnerId" = a."LearnerId" AND c."CertificationId" = a."CertificationId" AND c."RevokedAt" IS NULL
            """;

        private const string PostgreSql = """
            WITH a AS MATERIALIZED (
                SELECT (value ->> 0)::integer AS "Id", (value ->> 1)::integer AS "LearnerId", (value ->> 2)::integer AS "CertificationId"
                FROM jsonb_array_elements(CAST({0} AS jsonb))
            )
            SELECT a."Id" AS "AssignmentId", c."Id", c."Source",
                   to_char(c."CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "CompletedAt",
                   to_char(c."ExpiresAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "ExpiresAt", c."Evidence"
            FROM a
            JOIN "CompletionRecords" AS c ON c."LearnerId" = a."LearnerId" AND c."CertificationId" = a."CertificationId" AND c."RevokedAt" IS NULL
            """;

        public static string For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
    }

    internal sealed class StoredCompletion
    {
        public int AssignmentId { get; init; }

        public long Id { get; init; }

        public string Source { get; init; } = "";

        public string CompletedAt { get; init; } = "";

        public string? ExpiresAt { get; init; }

        public string? Evidence { get; init; }
    }
}
