using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Enrollment;

/// <summary>
/// Assigns a published certification to every member of its targeted groups: two set-based statements, whatever the
/// number of learners, run inside the caller's transaction so a publish either assigns everyone or no one.
/// </summary>
internal static class GroupEnrollment
{
    /// <summary>
    /// Creates the missing assignments (with the grace period in force now), restores withdrawn ones, and records every
    /// targeted group as a source of them. Running it again changes nothing. Returns the number created or restored.
    /// </summary>
    public static async Task<int> AssignTargetedGroupsAsync(CertificationsDbContext db, int certificationId, int graceDays, int coursesRequired, DateTime now, CancellationToken ct)
    {
        var created = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "Assignments" ("CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt")
            SELECT DISTINCT cg."CertificationId", gm."LearnerId", {now}, {graceDays}, 'NotStarted', 0, {coursesRequired}, {now}
            FROM "CertificationGroups" cg
            JOIN "GroupMembers" gm ON gm."GroupId" = cg."GroupId"
            WHERE cg."CertificationId" = {certificationId}
              AND NOT EXISTS (SELECT 1 FROM "Assignments" a WHERE a."CertificationId" = cg."CertificationId" AND a."LearnerId" = gm."LearnerId")
            """,
            ct);

        // A learner who was withdrawn and is again in a targeted group gets the same assignment back, with its history.
        created += await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE "Assignments" SET "WithdrawnAt" = NULL, "StatusChangedAt" = {now}
            WHERE "CertificationId" = {certificationId} AND "WithdrawnAt" IS NOT NULL
              AND EXISTS (SELECT 1 FROM "CertificationGroups" cg JOIN "GroupMembers" gm ON gm."GroupId" = cg."GroupId"
                          WHERE cg."CertificationId" = "Assignments"."CertificationId" AND gm."LearnerId" = "Assignments"."LearnerId")
            """,
            ct);

        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "AssignmentSources" ("AssignmentId", "Kind", "GroupId", "AddedAt")
            SELECT a."Id", 'Group', gm."GroupId", {now}
            FROM "Assignments" a
            JOIN "GroupMembers" gm ON gm."LearnerId" = a."LearnerId"
            JOIN "CertificationGroups" cg ON cg."GroupId" = gm."GroupId" AND cg."CertificationId" = a."CertificationId"
            WHERE a."CertificationId" = {certificationId}
              AND NOT EXISTS (SELECT 1 FROM "AssignmentSources" s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'Group' AND s."GroupId" = gm."GroupId")
            """,
            ct);
        return created;
    }

    /// <summary>Members of the targeted groups who do not hold the certification yet: what a publish would assign.</summary>
    public static Task<int> CountUnassignedMembersAsync(CertificationsDbContext db, int certificationId, CancellationToken ct) =>
        db.GroupMembers
            .Where(m => db.CertificationGroups.Any(cg => cg.CertificationId == certificationId && cg.GroupId == m.GroupId))
            .Where(m => !db.Assignments.Any(a => a.CertificationId == certificationId && a.LearnerId == m.LearnerId))
            .Select(m => m.LearnerId)
            .Distinct()
            .CountAsync(ct);
}
