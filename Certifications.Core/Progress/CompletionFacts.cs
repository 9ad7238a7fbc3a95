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
        var scope = ProgressWrites.Json(assignments.Select(a => new object?[] { a.AssignmentId, a.LearnerId, a.CertificationId }));
        var rows = await db.Database.SqlQuery<StoredCompletion>(
            $"""
            WITH a AS MATERIALIZED (
                SELECT value ->> 0 AS "Id", value ->> 1 AS "LearnerId", value ->> 2 AS "CertificationId" FROM json_each({scope})
            )
            SELECT a."Id" AS "AssignmentId", c."Id", c."Source", c."CompletedAt", c."ExpiresAt", c."Evidence"
            FROM a
            CROSS JOIN "CompletionRecords" AS c ON c."LearnerId" = a."LearnerId" AND c."CertificationId" = a."CertificationId" AND c."RevokedAt" IS NULL
            """).ToListAsync(ct);
        return rows.ToLookup(
            r => r.AssignmentId,
            r => new CompletionFact(
                r.Id,
                Enum.Parse<CompletionSource>(r.Source),
                ProgressRecompute.StoredInstant(r.CompletedAt),
                r.ExpiresAt is null ? null : ProgressRecompute.StoredInstant(r.ExpiresAt),
                r.Evidence));
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
