using System.Text.Json;
using Certifications.Core.Enrollment;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Enrolment;

/// <summary>
/// What <see cref="EnrollmentSync"/> does, written by hand on Microsoft.Data.Sqlite: the same five effects (assign the
/// members who do not hold it, restore the withdrawn members, add the missing group sources, drop the group sources
/// that no longer stand, withdraw the assignments left with no source), each certification's grace period and course
/// count read once and bound as parameters. The yardstick ours is measured against; it runs inside the caller's
/// transaction, as ours does.
/// </summary>
internal static class RawEnrolmentSync
{
    /// <summary>The published certification, with what a new assignment snapshots from it.</summary>
    public const string Certification = """
        SELECT c."Id", c."GraceDays", (SELECT COUNT(*) FROM "CertificationCourses" AS cc WHERE cc."CertificationId" = c."Id")
        FROM "Certifications" AS c
        WHERE c."Id" = $certification AND c."State" = 'Published';
        """;

    /// <summary>The published certifications targeting the changed groups.</summary>
    public const string CertificationsTargeting = """
        SELECT c."Id", c."GraceDays", (SELECT COUNT(*) FROM "CertificationCourses" AS cc WHERE cc."CertificationId" = c."Id")
        FROM "Certifications" AS c
        WHERE c."State" = 'Published'
          AND c."Id" IN (SELECT cg."CertificationId" FROM "CertificationGroups" AS cg WHERE cg."GroupId" IN (SELECT value FROM json_each($groups)))
        ORDER BY c."Id";
        """;

    /// <summary>The five statements, for a whole certification or (<paramref name="groups"/>) for the changed groups only.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Statements(bool groups)
    {
        var inScope = groups ? """AND cg."GroupId" IN (SELECT value FROM json_each($groups))""" : "";
        var sourceInScope = groups ? """AND "GroupId" IN (SELECT value FROM json_each($groups))""" : "";
        return
        [
            ("assign", $"""
                INSERT INTO "Assignments" ("CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt")
                SELECT DISTINCT $certification, gm."LearnerId", $now, $grace, 'NotStarted', 0, $courses, $now
                FROM "CertificationGroups" AS cg
                JOIN "GroupMembers" AS gm ON gm."GroupId" = cg."GroupId"
                WHERE cg."CertificationId" = $certification {inScope}
                  AND NOT EXISTS (SELECT 1 FROM "Assignments" AS a WHERE a."CertificationId" = $certification AND a."LearnerId" = gm."LearnerId")
                RETURNING "CertificationId", "LearnerId";
                """),
            ("restore", $"""
                UPDATE "Assignments" SET "WithdrawnAt" = NULL, "StatusChangedAt" = $now
                WHERE "CertificationId" = $certification AND "WithdrawnAt" IS NOT NULL
                  AND "LearnerId" IN (SELECT gm."LearnerId"
                                      FROM "CertificationGroups" AS cg
                                      JOIN "GroupMembers" AS gm ON gm."GroupId" = cg."GroupId"
                                      WHERE cg."CertificationId" = $certification {inScope})
                RETURNING "CertificationId", "LearnerId";
                """),
            ("add sources", $"""
                INSERT INTO "AssignmentSources" ("AssignmentId", "Kind", "GroupId", "AddedAt")
                SELECT a."Id", 'Group', gm."GroupId", $now
                FROM "CertificationGroups" AS cg
                JOIN "GroupMembers" AS gm ON gm."GroupId" = cg."GroupId"
                JOIN "Assignments" AS a ON a."CertificationId" = $certification AND a."LearnerId" = gm."LearnerId"
                WHERE cg."CertificationId" = $certification {inScope}
                  AND NOT EXISTS (SELECT 1 FROM "AssignmentSources" AS s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'Group' AND s."GroupId" = gm."GroupId");
                """),
            ("drop sources", $"""
                DELETE FROM "AssignmentSources"
                WHERE "Kind" = 'Group' {sourceInScope}
                  AND "AssignmentId" IN (SELECT a."Id" FROM "Assignments" AS a WHERE a."CertificationId" = $certification)
                  AND NOT EXISTS (SELECT 1
                                  FROM "Assignments" AS a
                                  JOIN "CertificationGroups" AS cg ON cg."CertificationId" = a."CertificationId" AND cg."GroupId" = "AssignmentSources"."GroupId"
                                  JOIN "GroupMembers" AS gm ON gm."GroupId" = cg."GroupId" AND gm."LearnerId" = a."LearnerId"
                                  WHERE a."Id" = "AssignmentSources"."AssignmentId");
                """),
            ("withdraw", """
                UPDATE "Assignments" SET "WithdrawnAt" = $now, "StatusChangedAt" = $now
                WHERE "CertificationId" = $certification AND "WithdrawnAt" IS NULL
                  AND NOT EXISTS (SELECT 1 FROM "AssignmentSources" AS s WHERE s."AssignmentId" = "Assignments"."Id")
                RETURNING "CertificationId", "LearnerId";
                """),
        ];
    }

    /// <summary>After a certification was published or its targets changed: all of its learners.</summary>
    public static Task<EnrollmentChanges> CertificationChangedAsync(SqliteConnection connection, SqliteTransaction transaction, int certificationId, DateTime now) =>
        SyncAsync(connection, transaction, certificationId, groups: null, now);

    /// <summary>After learners joined or left the given groups: the published certifications targeting them, those groups' members only.</summary>
    public static Task<EnrollmentChanges> MembershipChangedAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<int> groupIds, DateTime now) =>
        SyncAsync(connection, transaction, certificationId: null, JsonSerializer.Serialize(groupIds.Distinct().Order()), now);

    /// <summary>The parameters the statements above take, for running one of them alone.</summary>
    public static IReadOnlyList<(string Name, object Value)> Parameters(int certificationId, string? groups, DateTime now, int graceDays, int courses) =>
    [
        ("$certification", certificationId),
        ("$groups", (object?)groups ?? DBNull.Value),
        ("$now", now),
        ("$grace", graceDays),
        ("$courses", courses),
    ];

    private static async Task<EnrollmentChanges> SyncAsync(SqliteConnection connection, SqliteTransaction transaction, int? certificationId, string? groups, DateTime now)
    {
        var certifications = new List<(int Id, int GraceDays, int Courses)>();
        await using (var read = Command(connection, transaction, groups is null ? Certification : CertificationsTargeting, Parameters(certificationId ?? 0, groups, now, 0, 0)))
        {
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                certifications.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
        }

        var statements = Statements(groups is not null);
        var changes = EnrollmentChanges.None;
        foreach (var (id, graceDays, courses) in certifications)
        {
            var parameters = Parameters(id, groups, now, graceDays, courses);
            var assigned = await ChangedAsync(connection, transaction, statements[0].Sql, parameters);
            var restored = await ChangedAsync(connection, transaction, statements[1].Sql, parameters);
            await ExecuteAsync(connection, transaction, statements[2].Sql, parameters);
            await ExecuteAsync(connection, transaction, statements[3].Sql, parameters);
            var withdrawn = await ChangedAsync(connection, transaction, statements[4].Sql, parameters);
            changes = changes.Plus(new EnrollmentChanges(assigned, restored, withdrawn));
        }

        return changes;
    }

    private static async Task<List<EnrollmentChange>> ChangedAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        var changed = new List<EnrollmentChange>();
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            changed.Add(new EnrollmentChange { CertificationId = reader.GetInt32(0), LearnerId = reader.GetInt32(1) });
        }

        return changed;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
