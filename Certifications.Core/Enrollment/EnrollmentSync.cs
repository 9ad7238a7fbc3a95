using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Enrollment;

/// <summary>A learner's assignment to a certification that a change created, restored or withdrew.</summary>
public sealed class EnrollmentChange
{
    public int CertificationId { get; init; }
    public int LearnerId { get; init; }
}

/// <summary>What one synchronisation did, by kind; the caller recomputes and announces it after commit.</summary>
public sealed record EnrollmentChanges(IReadOnlyList<EnrollmentChange> Assigned, IReadOnlyList<EnrollmentChange> Restored, IReadOnlyList<EnrollmentChange> Withdrawn)
{
    public static EnrollmentChanges None { get; } = new([], [], []);

    public bool IsEmpty => Assigned.Count == 0 && Restored.Count == 0 && Withdrawn.Count == 0;

    public IEnumerable<EnrollmentChange> All => Assigned.Concat(Restored).Concat(Withdrawn);

    public EnrollmentChanges Plus(EnrollmentChanges other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Assigned, .. other.Assigned], [.. Restored, .. other.Restored], [.. Withdrawn, .. other.Withdrawn]);
    }
}

/// <summary>
/// Keeps assignments in line with group membership and certification targets, set-based: a fixed number of statements
/// per change (each over every learner concerned), never one per learner. Runs inside the caller's transaction so a
/// change either enrols everyone it should or no one.
/// <list type="bullet">
/// <item>Every member of a group a published certification targets holds it, with that group as a source; a new
/// assignment takes the grace period in force now; a withdrawn one comes back with its history.</item>
/// <item>A group source whose learner left the group, or whose group is no longer targeted, goes.</item>
/// <item>An assignment left with no source is withdrawn; its completions stay on record (the rules keep them).</item>
/// </list>
/// </summary>
internal static class EnrollmentSync
{
    /// <summary>After a certification was published or its targets or courses changed: syncs all of its learners.</summary>
    public static Task<EnrollmentChanges> CertificationChangedAsync(CertificationsDbContext db, int certificationId, DateTime now, CancellationToken ct)
    {
        var id = certificationId.ToString(CultureInfo.InvariantCulture);
        return SyncAsync(db, new Scope($"= {id}", GroupFilter: null), now, ct);
    }

    /// <summary>
    /// After learners joined or left the given groups: syncs the published certifications targeting them, for the
    /// members and former members of those groups only.
    /// </summary>
    public static Task<EnrollmentChanges> MembershipChangedAsync(CertificationsDbContext db, IReadOnlyCollection<int> groupIds, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        if (groupIds.Count == 0)
        {
            return Task.FromResult(EnrollmentChanges.None);
        }

        var groups = string.Join(", ", groupIds.Distinct().Order().Select(g => g.ToString(CultureInfo.InvariantCulture)));
        return SyncAsync(
            db,
            new Scope($"IN (SELECT tg.\"CertificationId\" FROM \"CertificationGroups\" tg WHERE tg.\"GroupId\" IN ({groups}))", $"IN ({groups})"),
            now,
            ct);
    }

    /// <summary>
    /// After commit: brings the changed assignments' periods and statuses up to date by the rules, and tells open
    /// pages who was assigned, restored or withdrawn (even when the status it computes did not change). The change is
    /// committed already, so a recompute failure is logged and repaired by the next recompute.
    /// </summary>
    public static async Task AnnounceAsync(EnrollmentChanges changes, ProgressRecompute recompute, EventHub events, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(recompute);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var certification in changes.All.GroupBy(c => c.CertificationId))
        {
            var learners = certification.Select(c => c.LearnerId).Distinct().ToList();
            await recompute.RecomputeAfterCommitAsync(certification.Key, learners, logger, ct);
            await events.PublishAsync(new AssignmentsChanged(certification.Key, learners));
        }

        var told = changes.Assigned.Concat(changes.Restored).Select(c => c.LearnerId).Distinct().Order().ToList();
        if (told.Count > 0)
        {
            await events.PublishAsync(new NotificationsRecorded(told));
        }
    }

    /// <summary>Members of the targeted groups who do not hold the certification yet: what a publish would assign.</summary>
    public static Task<int> CountUnassignedMembersAsync(CertificationsDbContext db, int certificationId, CancellationToken ct) =>
        db.GroupMembers
            .Where(m => db.CertificationGroups.Any(cg => cg.CertificationId == certificationId && cg.GroupId == m.GroupId))
            .Where(m => !db.Assignments.Any(a => a.CertificationId == certificationId && a.LearnerId == m.LearnerId))
            .Select(m => m.LearnerId)
            .Distinct()
            .CountAsync(ct);

    /// <summary>
    /// <paramref name="Certifications"/> restricts the certification ids (an SQL predicate on them); a group filter
    /// restricts the memberships and group sources looked at, so a change to one group never scans the others.
    /// </summary>
    private sealed record Scope(string Certifications, string? GroupFilter)
    {
        public string Groups(string column) => GroupFilter is null ? "" : $"AND {column} {GroupFilter}";
    }

    /// <remarks>
    /// The inserts skip what exists (NOT EXISTS) and, on PostgreSQL where another instance may be assigning the same
    /// learner at the same moment, what that instance committed meanwhile (ON CONFLICT DO NOTHING): the later one waits
    /// for the earlier, then leaves its row be. What it returns is what it inserted.
    /// </remarks>
    private static async Task<EnrollmentChanges> SyncAsync(CertificationsDbContext db, Scope scope, DateTime now, CancellationToken ct)
    {
        // Who is in a targeted group of a published certification in scope, as (certification, learner, group).
        var targeted =
            $"""
            SELECT cg."CertificationId", gm."LearnerId", gm."GroupId"
            FROM "CertificationGroups" cg
            JOIN "Certifications" c ON c."Id" = cg."CertificationId" AND c."State" = 'Published'
            JOIN "GroupMembers" gm ON gm."GroupId" = cg."GroupId"
            WHERE cg."CertificationId" {scope.Certifications} {scope.Groups("cg.\"GroupId\"")}
            """;

        var assigned = await QueryAsync(
            db,
            $$"""
            INSERT INTO "Assignments" ("CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt")
            SELECT DISTINCT t."CertificationId", t."LearnerId", {0}, c."GraceDays", 'NotStarted', 0,
                   (SELECT COUNT(*) FROM "CertificationCourses" cc WHERE cc."CertificationId" = c."Id"), {0}
            FROM ({{targeted}}) t
            JOIN "Certifications" c ON c."Id" = t."CertificationId"
            WHERE NOT EXISTS (SELECT 1 FROM "Assignments" a WHERE a."CertificationId" = t."CertificationId" AND a."LearnerId" = t."LearnerId")
            ON CONFLICT ("CertificationId", "LearnerId") DO NOTHING
            RETURNING "CertificationId", "LearnerId"
            """,
            now,
            ct);

        var restored = await QueryAsync(
            db,
            $$"""
            UPDATE "Assignments" SET "WithdrawnAt" = NULL, "StatusChangedAt" = {0}
            WHERE "WithdrawnAt" IS NOT NULL
              AND EXISTS (SELECT 1 FROM ({{targeted}}) t WHERE t."CertificationId" = "Assignments"."CertificationId" AND t."LearnerId" = "Assignments"."LearnerId")
            RETURNING "CertificationId", "LearnerId"
            """,
            now,
            ct);

        await ExecuteAsync(
            db,
            $$"""
            INSERT INTO "AssignmentSources" ("AssignmentId", "Kind", "GroupId", "AddedAt")
            SELECT a."Id", 'Group', t."GroupId", {0}
            FROM ({{targeted}}) t
            JOIN "Assignments" a ON a."CertificationId" = t."CertificationId" AND a."LearnerId" = t."LearnerId"
            WHERE NOT EXISTS (SELECT 1 FROM "AssignmentSources" s WHERE s."AssignmentId" = a."Id" AND s."Kind" = 'Group' AND s."GroupId" = t."GroupId")
            ON CONFLICT ("AssignmentId", "Kind", "GroupId") DO NOTHING
            """,
            now,
            ct);

        // A group source stands while its certification is published, targets the group, and the learner is a member.
        await ExecuteAsync(
            db,
            $"""
            DELETE FROM "AssignmentSources"
            WHERE "Kind" = 'Group' {scope.Groups("\"GroupId\"")}
              AND "AssignmentId" IN (SELECT a."Id" FROM "Assignments" a
                                     JOIN "Certifications" c ON c."Id" = a."CertificationId" AND c."State" = 'Published'
                                     WHERE a."CertificationId" {scope.Certifications})
              AND NOT EXISTS (SELECT 1 FROM "Assignments" a
                              JOIN "CertificationGroups" cg ON cg."CertificationId" = a."CertificationId" AND cg."GroupId" = "AssignmentSources"."GroupId"
                              JOIN "GroupMembers" gm ON gm."GroupId" = cg."GroupId" AND gm."LearnerId" = a."LearnerId"
                              WHERE a."Id" = "AssignmentSources"."AssignmentId")
            """,
            now,
            ct);

        var withdrawn = await QueryAsync(
            db,
            $$"""
            UPDATE "Assignments" SET "WithdrawnAt" = {0}, "StatusChangedAt" = {0}
            WHERE "WithdrawnAt" IS NULL
              AND "CertificationId" IN (SELECT c."Id" FROM "Certifications" c WHERE c."State" = 'Published' AND c."Id" {{scope.Certifications}})
              AND NOT EXISTS (SELECT 1 FROM "AssignmentSources" s WHERE s."AssignmentId" = "Assignments"."Id")
            RETURNING "CertificationId", "LearnerId"
            """,
            now,
            ct);

        // The learners assigned or back from a withdrawal are told, in this transaction; the rest is the recompute's.
        var notifications = new NotificationOutbox();
        notifications.Add(assigned.Concat(restored).Select(c => NotificationRules.Assigned(c.LearnerId, c.CertificationId, now)));
        await notifications.SaveAsync(db, now, ct);

        return new EnrollmentChanges(assigned, restored, withdrawn);
    }

    // The SQL text is built from fixed fragments and integer ids only; the one value, now, is a parameter.
    private static Task<List<EnrollmentChange>> QueryAsync(CertificationsDbContext db, string sql, DateTime now, CancellationToken ct) =>
        db.Database.SqlQuery<EnrollmentChange>(FormattableStringFactory.Create(sql, now)).ToListAsync(ct);

    private static Task<int> ExecuteAsync(CertificationsDbContext db, string sql, DateTime now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(sql, now), ct);
}
