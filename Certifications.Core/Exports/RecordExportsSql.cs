using Certifications.Core.History;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;

namespace Certifications.Core.Exports;

/// <summary>
/// The exports' statements on each database, side by side. Both return instants as the text SQLite stores them
/// ("yyyy-MM-dd HH:mm:ss" and a fraction, UTC), dates as "yyyy-MM-dd", groups as a JSON array and flags as booleans, so
/// that <see cref="RecordExports"/> reads them alike. PostgreSQL compares the keys of corrections and orders names byte
/// by byte (COLLATE "C"), as SQLite does.
/// </summary>
internal static class RecordExportsSql
{
    private const string CertificationEntity = "Certification";
    private const string LearnerEntity = "Learner";

    /// <summary>Each assignment of the certification with its learner, sources, latest period and last completed period.</summary>
    public static FormattableString LearnerRows(SqlDialect dialect, int certificationId) => dialect == SqlDialect.PostgreSql
        ? (FormattableString)$"""
                SELECT l."Id" AS "LearnerId", l."Name", l."Email", a."Status",
                       (SELECT COALESCE(json_agg(g."Name"), '[]'::json)::text FROM "AssignmentSources" AS s JOIN "Groups" AS g ON g."Id" = s."GroupId"
                        WHERE s."AssignmentId" = a."Id") AS "Groups",
                       EXISTS (SELECT 1 FROM "AssignmentSources" AS s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'Individual') AS "AddedIndividually",
                       EXISTS (SELECT 1 FROM "AssignmentSources" AS s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'SelfStarted') AS "SelfStarted",
                       (SELECT to_char(p."WindowStart" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM "Periods" AS p WHERE p."AssignmentId" = a."Id" ORDER BY p."Number" DESC LIMIT 1) AS "PeriodStart",
                       to_char(d."CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "CompletedAt", to_char(d."ExpiresAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "ExpiresAt", d."Source",
                       to_char(COALESCE(a."DueDateOverride", CASE WHEN NOT c."RenewalRequired" THEN c."DueDate" END), 'YYYY-MM-DD') AS "DueDate"
                FROM "Assignments" AS a
                JOIN "Learners" AS l ON l."Id" = a."LearnerId"
                JOIN "Certifications" AS c ON c."Id" = a."CertificationId"
                LEFT JOIN "Periods" AS d ON d."Id" = (
                    SELECT p."Id" FROM "Periods" AS p WHERE p."AssignmentId" = a."Id" AND p."CompletedAt" IS NOT NULL ORDER BY p."Number" DESC LIMIT 1)
                WHERE a."CertificationId" = {certificationId}
                ORDER BY l."Name" COLLATE "C", l."Id"
                """
        : (FormattableString)$"""
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
                """;

    /// <summary>The certification's audit entries, its learners' corrections and certificates, and the completions imported for it.</summary>
    public static FormattableString CertificationAuditTrail(SqlDialect dialect, int certificationId, string key) => dialect == SqlDialect.PostgreSql
        ? (FormattableString)$"""
                SELECT e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "At", e."Actor", e."Action", e."Changes", c."Name" AS "Concerning", false AS "IsRecord", NULL AS "CompletedAt", NULL AS "ExpiresAt"
                FROM "AuditEntries" AS e
                JOIN "Certifications" AS c ON c."Id" = {certificationId}
                WHERE e."EntityType" = {CertificationEntity} AND e."EntityId" = {key}
                UNION ALL
                SELECT e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), e."Actor", e."Action", e."Changes", COALESCE(l."Name" || ' <' || l."Email" || '>', e."EntityId"), false, NULL, NULL
                FROM "AuditEntries" AS e
                LEFT JOIN "Learners" AS l ON l."Id" = CAST(substr(e."EntityId", length({key}) + 2) AS INTEGER)
                WHERE e."EntityType" = {RecordCorrections.AuditEntityType} AND e."EntityId" COLLATE "C" >= {key + ":"} AND e."EntityId" COLLATE "C" < {key + ";"}
                UNION ALL
                SELECT e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), e."Actor", e."Action", e."Changes", l."Name" || ' <' || l."Email" || '>', false, NULL, NULL
                FROM "AuditEntries" AS e
                JOIN "Certificates" AS ce ON e."EntityId" = CAST(ce."Id" AS TEXT)
                JOIN "Periods" AS p ON p."Id" = ce."PeriodId"
                JOIN "Assignments" AS a ON a."Id" = p."AssignmentId"
                JOIN "Learners" AS l ON l."Id" = a."LearnerId"
                WHERE e."EntityType" = 'Certificate' AND a."CertificationId" = {certificationId}
                UNION ALL
                SELECT r."Id", to_char(r."RecordedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), r."RecordedBy", 'CompletionImported', r."Evidence", l."Name" || ' <' || l."Email" || '>', true, to_char(r."CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), to_char(r."ExpiresAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')
                FROM "CompletionRecords" AS r
                JOIN "Learners" AS l ON l."Id" = r."LearnerId"
                WHERE r."CertificationId" = {certificationId} AND r."Source" = {nameof(CompletionSource.Imported)}
                ORDER BY 2, 7, 1
                """
        : (FormattableString)$"""
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

    /// <summary>The learner's audit entries, corrections, certificates, imported completions and refused reads of their record.</summary>
    public static FormattableString LearnerAuditTrail(SqlDialect dialect, int learnerId, string key) => dialect == SqlDialect.PostgreSql
        ? (FormattableString)$"""
                SELECT e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "At", e."Actor", e."Action", e."Changes", l."Name" || ' <' || l."Email" || '>' AS "Concerning", false AS "IsRecord", NULL AS "CompletedAt", NULL AS "ExpiresAt"
                FROM "AuditEntries" AS e
                JOIN "Learners" AS l ON l."Id" = {learnerId}
                WHERE (e."EntityType" = {LearnerEntity} AND e."EntityId" = {key}) OR (e."EntityType" = 'Access' AND e."EntityId" = {"learner #" + key})
                UNION ALL
                SELECT e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), e."Actor", e."Action", e."Changes", COALESCE(c."Name", e."EntityId"), false, NULL, NULL
                FROM "AuditEntries" AS e
                LEFT JOIN "Certifications" AS c ON c."Id" = CAST(substr(e."EntityId", 1, strpos(e."EntityId", ':') - 1) AS INTEGER)
                WHERE e."EntityType" = {RecordCorrections.AuditEntityType} AND substr(e."EntityId", strpos(e."EntityId", ':') + 1) = {key}
                UNION ALL
                SELECT e."Id", to_char(e."At" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), e."Actor", e."Action", e."Changes", c."Name", false, NULL, NULL
                FROM "AuditEntries" AS e
                JOIN "Certificates" AS ce ON e."EntityId" = CAST(ce."Id" AS TEXT)
                JOIN "Periods" AS p ON p."Id" = ce."PeriodId"
                JOIN "Assignments" AS a ON a."Id" = p."AssignmentId"
                JOIN "Certifications" AS c ON c."Id" = a."CertificationId"
                WHERE e."EntityType" = 'Certificate' AND a."LearnerId" = {learnerId}
                UNION ALL
                SELECT r."Id", to_char(r."RecordedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), r."RecordedBy", 'CompletionImported', r."Evidence", c."Name", true, to_char(r."CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), to_char(r."ExpiresAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')
                FROM "CompletionRecords" AS r
                JOIN "Certifications" AS c ON c."Id" = r."CertificationId"
                WHERE r."LearnerId" = {learnerId} AND r."Source" = {nameof(CompletionSource.Imported)}
                ORDER BY 2, 7, 1
                """
        : (FormattableString)$"""
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
}
