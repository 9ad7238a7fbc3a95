using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Enrolment;

/// <summary>
/// Puts the certification and the changing group back where an operation starts, outside the timed part, and reads
/// back everything the operations write so that ours and raw can be compared row by row (ids aside: they are
/// AUTOINCREMENT and never reused).
/// </summary>
internal sealed class EnrolmentStates(string connectionString, EnrolmentData data)
{
    /// <summary>The instants the operations run at, the same for ours and raw so that their rows compare equal.</summary>
    public static readonly DateTime PublishedAt = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime JoinedAt = new(2026, 11, 3, 9, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime LeftAt = new(2026, 11, 4, 9, 0, 0, DateTimeKind.Utc);

    private static readonly string PublishedVersion = "0BE7C0DE-2026-4129-8000-000000000002";

    public string Joiners { get; } = JsonSerializer.Serialize(data.Joiners);

    /// <summary>
    /// Every row the operations write or read for this certification and group, as text in a fixed order; with the
    /// table sizes, so that a write elsewhere shows too.
    /// </summary>
    public async Task<IReadOnlyList<string>> RowsAsync()
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            """SELECT 'certification', "State", "PublishedAt" IS NOT NULL FROM "Certifications" WHERE "Id" = $certification""",
            """SELECT 'table sizes', (SELECT COUNT(*) FROM "Assignments"), (SELECT COUNT(*) FROM "AssignmentSources"), (SELECT COUNT(*) FROM "GroupMembers"), (SELECT COUNT(*) FROM "Periods")""",
            """
            SELECT 'assignment', "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt", "WithdrawnAt"
            FROM "Assignments" WHERE "CertificationId" = $certification ORDER BY "LearnerId"
            """,
            """
            SELECT 'source', a."LearnerId", s."Kind", s."GroupId", s."AddedAt"
            FROM "AssignmentSources" AS s JOIN "Assignments" AS a ON a."Id" = s."AssignmentId"
            WHERE a."CertificationId" = $certification ORDER BY a."LearnerId", s."Kind", s."GroupId"
            """,
            """SELECT 'member', "LearnerId", "JoinedAt" FROM "GroupMembers" WHERE "GroupId" = $group ORDER BY "LearnerId" """,
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$certification", data.CertificationId);
            command.Parameters.AddWithValue("$group", data.ChangingGroupId);
            await using var reader = await command.ExecuteReaderAsync();
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
                rows.Add(string.Join('|', values.Select(v => v is DBNull ? "NULL" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        return rows;
    }

    public const string AddMembers = """
        INSERT INTO "GroupMembers" ("GroupId", "LearnerId", "JoinedAt") SELECT $group, value, $now FROM json_each($learners);
        """;

    public const string RemoveMembers = """
        DELETE FROM "GroupMembers" WHERE "GroupId" = $group AND "LearnerId" IN (SELECT value FROM json_each($learners));
        """;

    /// <summary>The membership change's rows by hand, one statement: the joiners into the changing group, or out of it.</summary>
    public static async Task ChangeMembersAsync(SqliteConnection connection, SqliteTransaction transaction, int groupId, string learners, DateTime? joinedAt)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = joinedAt is null ? RemoveMembers : AddMembers;
        command.Parameters.AddWithValue("$group", groupId);
        command.Parameters.AddWithValue("$learners", learners);
        if (joinedAt is { } now)
        {
            command.Parameters.AddWithValue("$now", now);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Puts the rows back where the given stage starts, and checkpoints.</summary>
    public async Task ResetAsync(EnrolmentStage stage)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var transaction = connection.BeginTransaction())
        {
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    DELETE FROM "PeriodCourseGrades" WHERE "PeriodId" IN
                        (SELECT p."Id" FROM "Periods" AS p JOIN "Assignments" AS a ON a."Id" = p."AssignmentId" WHERE a."CertificationId" = $certification);
                    DELETE FROM "Periods" WHERE "AssignmentId" IN (SELECT "Id" FROM "Assignments" WHERE "CertificationId" = $certification);
                    DELETE FROM "AssignmentSources" WHERE "AssignmentId" IN (SELECT "Id" FROM "Assignments" WHERE "CertificationId" = $certification);
                    DELETE FROM "Assignments" WHERE "CertificationId" = $certification;
                    DELETE FROM "GroupMembers" WHERE "GroupId" = $group AND "LearnerId" IN (SELECT value FROM json_each($joiners));
                    DELETE FROM "AuditEntries" WHERE "EntityType" = 'Certification' AND "EntityId" = CAST($certification AS TEXT);
                    UPDATE "Certifications"
                    SET "State" = CASE WHEN $published THEN 'Published' ELSE 'Draft' END,
                        "Version" = CASE WHEN $published THEN $publishedVersion ELSE $draftVersion END,
                        "PublishedAt" = CASE WHEN $published THEN $publishedAt END,
                        "UpdatedAt" = CASE WHEN $published THEN $publishedAt ELSE "CreatedAt" END
                    WHERE "Id" = $certification;
                    """;
                command.Parameters.AddWithValue("$certification", data.CertificationId);
                command.Parameters.AddWithValue("$group", data.ChangingGroupId);
                command.Parameters.AddWithValue("$joiners", Joiners);
                command.Parameters.AddWithValue("$published", stage >= EnrolmentStage.Published);
                command.Parameters.AddWithValue("$publishedVersion", PublishedVersion);
                command.Parameters.AddWithValue("$draftVersion", data.DraftVersion.ToString().ToUpperInvariant());
                command.Parameters.AddWithValue("$publishedAt", PublishedAt);
                await command.ExecuteNonQueryAsync();
            }

            // Built with the raw statements, which the scenario checks first, stage by stage, to write the same rows as ours.
            if (stage >= EnrolmentStage.Assigned)
            {
                await RawEnrolmentSync.CertificationChangedAsync(connection, transaction, data.CertificationId, PublishedAt);
            }

            if (stage >= EnrolmentStage.MembersJoined)
            {
                await ChangeMembersAsync(connection, transaction, data.ChangingGroupId, Joiners, JoinedAt);
            }

            if (stage >= EnrolmentStage.Joined)
            {
                await RawEnrolmentSync.MembershipChangedAsync(connection, transaction, [data.ChangingGroupId], JoinedAt);
            }

            if (stage >= EnrolmentStage.MembersLeft)
            {
                await ChangeMembersAsync(connection, transaction, data.ChangingGroupId, Joiners, joinedAt: null);
            }

            await transaction.CommitAsync();
        }

        // Every timed call starts with an empty write-ahead log; the checkpoints its own writes cause are its cost.
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync();
    }
}

/// <summary>Where an operation starts, each stage the one before it plus one change.</summary>
internal enum EnrolmentStage
{
    /// <summary>A draft nobody holds; the changing group without the joiners.</summary>
    Draft,

    /// <summary>Published, nobody assigned yet: where the publish transaction stands when it calls the sync.</summary>
    Published,

    /// <summary>Every member of the targeted groups assigned, as the publish left it.</summary>
    Assigned,

    /// <summary>The joiners' membership rows are in the changing group; the enrolment has not followed yet.</summary>
    MembersJoined,

    /// <summary>The joiners hold the certification through the changing group, as the join left it.</summary>
    Joined,

    /// <summary>The joiners' membership rows are gone again; the enrolment has not followed yet.</summary>
    MembersLeft,
}
