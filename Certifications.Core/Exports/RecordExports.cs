using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.History;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Exports;

/// <summary>
/// What admins take away as files: a certification's learners with their status, dates and what each standing rests on,
/// and the audit trail of a certification or of a learner. Access is checked, and the subject found, before anything is
/// written; the rows are then read in one statement and handed on as they come, whatever their number.
/// </summary>
public sealed class RecordExports(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard, OrganisationCalendar calendar)
{
    private const string CertificationEntity = "Certification";
    private const string LearnerEntity = "Learner";

    /// <summary>The certification's learners, withdrawn ones too, by name; null when there is no such certification.</summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin.</exception>
    public async Task<Export<LearnerExportRow>?> CertificationLearnersAsync(Actor actor, int certificationId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "exporting a certification's learners", ct);
        return await CertificationNameAsync(certificationId, ct) is { } name ? new Export<LearnerExportRow>(name, LearnerRowsAsync(certificationId, ct)) : null;
    }

    /// <summary>
    /// Everything recorded about the certification, oldest first: its own changes, the corrections of each learner's record,
    /// the revocations of its certificates and the completions imported for it. Null when there is no such certification.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin.</exception>
    public async Task<Export<AuditExportRow>?> CertificationAuditTrailAsync(Actor actor, int certificationId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "exporting a certification's audit trail", ct);
        if (await CertificationNameAsync(certificationId, ct) is not { } name)
        {
            return null;
        }

        var key = Key(certificationId);
        FormattableString sql =
            $"""
            SELECT e."Id", e."At", e."Actor", e."Action", e."Changes", c."Name" AS "Concerning", 0 AS "IsRecord", NULL AS "CompletedAt", NULL AS "ExpiresAt"
            FROM "AuditEntries" AS e
            CROSS JOIN "Certifications" AS c ON c."Id" = {certificationId}
            WHERE e."EntityType" = {CertificationEntity} AND e."EntityId" = {key}
            UNION ALL
            SELECT e."Id", e."At", e."Actor", e."Action", e."Changes", COALESCE(l."Name" || ' <' || l."Email" || '>', e."EntityId"), 0, NULL, NULL
            FROM "AuditEntries" AS e
            LEFT JOIN "Learners" AS l ON l."Id" = CAST(substr(e."EntityId", length({key}) + 2) AS INTEGER)
            WHERE e."EntityType" = {RecordCorrections.AuditEntityType} AND e."EntityId" >= {key + ":"} AND e."EntityId" < {key + ";"}
            UNION ALL
            SELECT e."Id", e."At", e."Actor", e."Action", e."Changes", l."Name" || ' <' || l."Email" || '>', 0, NULL, NULL
            FROM "AuditEntries" AS e
            CROSS JOIN "Certificates" AS ce ON e."EntityId" = CAST(ce."Id" AS TEXT)
            CROSS JOIN "Periods" AS p ON p."Id" = ce."PeriodId"
            CROSS JOIN "Assignments" AS a ON a."Id" = p."AssignmentId"
            CROSS JOIN "Learners" AS l ON l."Id" = a."LearnerId"
            WHERE e."EntityType" = 'Certificate' AND a."CertificationId" = {certificationId}
            UNION ALL
            SELECT r."Id", r."RecordedAt", r."RecordedBy", 'CompletionImported', r."Evidence", l."Name" || ' <' || l."Email" || '>', 1, r."CompletedAt", r."ExpiresAt"
            FROM "CompletionRecords" AS r
            CROSS JOIN "Learners" AS l ON l."Id" = r."LearnerId"
            WHERE r."CertificationId" = {certificationId} AND r."Source" = {nameof(CompletionSource.Imported)}
            ORDER BY 2, 7, 1
            """;
        return new Export<AuditExportRow>(name, AuditRowsAsync(sql, ct));
    }

    /// <summary>
    /// Everything recorded about the learner, oldest first: their profile, groups and enrolments, the corrections of their
    /// record in each certification, the revocations of their certificates, the completions imported for them and the
    /// refused attempts to read their record. Null when there is no such learner.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin.</exception>
    public async Task<Export<AuditExportRow>?> LearnerAuditTrailAsync(Actor actor, int learnerId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "exporting a learner's audit trail", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Learners.AsNoTracking().Where(l => l.Id == learnerId).Select(l => l.Name).SingleOrDefaultAsync(ct);
        if (name is null)
        {
            return null;
        }

        var key = Key(learnerId);
        FormattableString sql =
            $"""
            SELECT e."Id", e."At", e."Actor", e."Action", e."Changes", l."Name" || ' <' || l."Email" || '>' AS "Concerning", 0 AS "IsRecord", NULL AS "CompletedAt", NULL AS "ExpiresAt"
            FROM "AuditEntries" AS e
            CROSS JOIN "Learners" AS l ON l."Id" = {learnerId}
            WHERE (e."EntityType" = {LearnerEntity} AND e."EntityId" = {key}) OR (e."EntityType" = 'Access' AND e."EntityId" = {"learner #" + key})
            UNION ALL
            SELECT e."Id", e."At", e."Actor", e."Action", e."Changes", COALESCE(c."Name", e."EntityId"), 0, NULL, NULL
            FROM "AuditEntries" AS e
            LEFT JOIN "Certifications" AS c ON c."Id" = CAST(substr(e."EntityId", 1, instr(e."EntityId", ':') - 1) AS INTEGER)
            WHERE e."EntityType" = {RecordCorrections.AuditEntityType} AND substr(e."EntityId", instr(e."EntityId", ':') + 1) = {key}
            UNION ALL
            SELECT e."Id", e."At", e."Actor", e."Action", e."Changes", c."Name", 0, NULL, NULL
            FROM "AuditEntries" AS e
            CROSS JOIN "Certificates" AS ce ON e."EntityId" = CAST(ce."Id" AS TEXT)
            CROSS JOIN "Periods" AS p ON p."Id" = ce."PeriodId"
            CROSS JOIN "Assignments" AS a ON a."Id" = p."AssignmentId"
            CROSS JOIN "Certifications" AS c ON c."Id" = a."CertificationId"
            WHERE e."EntityType" = 'Certificate' AND a."LearnerId" = {learnerId}
            UNION ALL
            SELECT r."Id", r."RecordedAt", r."RecordedBy", 'CompletionImported', r."Evidence", c."Name", 1, r."CompletedAt", r."ExpiresAt"
            FROM "CompletionRecords" AS r
            CROSS JOIN "Certifications" AS c ON c."Id" = r."CertificationId"
            WHERE r."LearnerId" = {learnerId} AND r."Source" = {nameof(CompletionSource.Imported)}
            ORDER BY 2, 7, 1
            """;
        return new Export<AuditExportRow>(name, AuditRowsAsync(sql, ct));
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<string?> CertificationNameAsync(int certificationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Certifications.AsNoTracking().Where(c => c.Id == certificationId).Select(c => c.Name).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// One statement: each assignment with its learner, its sources (the groups by name), its latest period (the one
    /// under way, or the last completed) and its last completed period.
    /// </summary>
    private async IAsyncEnumerable<LearnerExportRow> LearnerRowsAsync(int certificationId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = db.Database.SqlQuery<StoredLearnerRow>(
            $"""
            SELECT l."Id" AS "LearnerId", l."Name", l."Email", a."Status",
                   (SELECT json_group_array(g."Name") FROM "AssignmentSources" AS s CROSS JOIN "Groups" AS g ON g."Id" = s."GroupId"
                    WHERE s."AssignmentId" = a."Id") AS "Groups",
                   EXISTS (SELECT 1 FROM "AssignmentSources" AS s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'Individual') AS "AddedIndividually",
                   EXISTS (SELECT 1 FROM "AssignmentSources" AS s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'SelfStarted') AS "SelfStarted",
                   (SELECT p."WindowStart" FROM "Periods" AS p WHERE p."AssignmentId" = a."Id" ORDER BY p."Number" DESC LIMIT 1) AS "PeriodStart",
                   d."CompletedAt", d."ExpiresAt", d."Source",
                   COALESCE(a."DueDateOverride", CASE WHEN NOT c."RenewalRequired" THEN c."DueDate" END) AS "DueDate"
            FROM "Assignments" AS a
            CROSS JOIN "Learners" AS l ON l."Id" = a."LearnerId"
            CROSS JOIN "Certifications" AS c ON c."Id" = a."CertificationId"
            LEFT JOIN "Periods" AS d ON d."Id" = (
                SELECT p."Id" FROM "Periods" AS p WHERE p."AssignmentId" = a."Id" AND p."CompletedAt" IS NOT NULL ORDER BY p."Number" DESC LIMIT 1)
            WHERE a."CertificationId" = {certificationId}
            ORDER BY l."Name", l."Id"
            """);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var status = Enum.Parse<AssignmentStatus>(row.Status);
            var completed = row.Source is { } source ? Enum.Parse<CompletionSource>(source) : (CompletionSource?)null;
            yield return new LearnerExportRow(
                row.LearnerId,
                row.Name,
                row.Email,
                [.. (JsonSerializer.Deserialize<string[]>(row.Groups ?? "[]") ?? []).Order(StringComparer.CurrentCultureIgnoreCase)],
                row.AddedIndividually,
                row.SelfStarted,
                status,
                DateOf(row.PeriodStart),
                DateOf(row.CompletedAt),
                DateOf(row.ExpiresAt),
                row.DueDate is { } due ? DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                status == AssignmentStatus.Exempt ? StandingSource.Exempt
                    : completed switch
                    {
                        CompletionSource.Results => StandingSource.Results,
                        CompletionSource.Imported => StandingSource.Imported,
                        CompletionSource.AdminOverride => StandingSource.AdminOverride,
                        _ => StandingSource.None,
                    });
        }
    }

    /// <summary>
    /// The audit entries the statement selects, and the imported completion records it adds among them: an import is
    /// audited once for the whole file, so each learner's imported completions are read from the records themselves.
    /// </summary>
    private async IAsyncEnumerable<AuditExportRow> AuditRowsAsync(FormattableString sql, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await foreach (var row in db.Database.SqlQuery<StoredAuditRow>(sql).AsAsyncEnumerable().WithCancellation(ct))
        {
            var changes = row.IsRecord
                ? JsonSerializer.Serialize(new { CompletedOn = DateOf(row.CompletedAt), ExpiresOn = DateOf(row.ExpiresAt), Evidence = row.Changes })
                : row.Changes;
            yield return new AuditExportRow(ProgressRecompute.StoredInstant(row.At), row.Actor, row.Action, row.Concerning ?? "", changes);
        }
    }

    private DateOnly? DateOf(string? stored) => stored is null ? null : calendar.DateOf(ProgressRecompute.StoredInstant(stored));

    private sealed class StoredLearnerRow
    {
        public int LearnerId { get; init; }

        public string Name { get; init; } = "";

        public string Email { get; init; } = "";

        public string Status { get; init; } = "";

        public string? Groups { get; init; }

        public bool AddedIndividually { get; init; }

        public bool SelfStarted { get; init; }

        public string? PeriodStart { get; init; }

        public string? CompletedAt { get; init; }

        public string? ExpiresAt { get; init; }

        public string? Source { get; init; }

        public string? DueDate { get; init; }
    }

    private sealed class StoredAuditRow
    {
        public long Id { get; init; }

        public string At { get; init; } = "";

        public string Actor { get; init; } = "";

        public string Action { get; init; } = "";

        public string? Changes { get; init; }

        public string? Concerning { get; init; }

        public bool IsRecord { get; init; }

        public string? CompletedAt { get; init; }

        public string? ExpiresAt { get; init; }
    }
}
