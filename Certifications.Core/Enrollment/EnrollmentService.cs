using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Enrollment;

/// <summary>One published certification on a learner's "Certifications Enrollment" page.</summary>
/// <param name="IsIndividual">The learner holds it through an individual enrolment (the "-" removes that).</param>
/// <param name="Groups">Targeted groups the learner holds it through: read-only here, changed by group membership.</param>
/// <param name="SelfStarted">The learner started it themself from their panel.</param>
/// <param name="Status">Where the learner stands, when they hold it.</param>
public sealed record EnrollmentRow(
    int CertificationId,
    string Name,
    bool IsInvisible,
    bool IsIndividual,
    IReadOnlyList<string> Groups,
    bool SelfStarted,
    AssignmentStatus? Status);

public sealed record EnrollmentCard(int LearnerId, string Name, string Email, IReadOnlyList<EnrollmentRow> Certifications);

/// <summary>What a save or a start did, or why nothing changed.</summary>
public sealed record EnrollmentOutcome(bool Succeeded, string Message, int Added = 0, int Removed = 0, int Withdrawn = 0)
{
    public static EnrollmentOutcome Fail(string message) => new(false, message);
}

/// <summary>
/// Individual enrolment from a learner's profile card, and a learner starting an open certification themself. Each
/// source is kept apart: removing an individual enrolment withdraws the assignment only when no group or own start
/// remains, and a completion is never removed.
/// </summary>
public sealed class EnrollmentService(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events,
    ILogger<EnrollmentService> logger)
{
    private const string EntityType = "Learner";
    private const string SavedMeanwhile = "Another change to this enrolment was saved at the same moment, so nothing was saved. Reload and try again.";

    /// <summary>Every published certification, with how this learner holds it. Three queries, whatever the counts.</summary>
    public async Task<EnrollmentCard?> GetCardAsync(Actor actor, int learnerId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "individual enrolment", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var learner = await db.Learners.AsNoTracking().Where(l => l.Id == learnerId).Select(l => new { l.Name, l.Email }).SingleOrDefaultAsync(ct);
        if (learner is null)
        {
            return null;
        }

        var published = await db.Certifications.AsNoTracking()
            .Where(c => c.State == CertificationState.Published)
            .OrderBy(c => c.Name)
            .Select(c => new { c.Id, c.Name, c.IsInvisible })
            .ToListAsync(ct);
        var held = await db.Assignments.AsNoTracking()
            .Where(a => a.LearnerId == learnerId && a.WithdrawnAt == null && a.Certification!.State == CertificationState.Published)
            .Select(a => new
            {
                a.CertificationId,
                a.Status,
                Sources = a.Sources.Select(s => new { s.Kind, GroupName = s.Group == null ? null : s.Group.Name }).ToList(),
            })
            .ToDictionaryAsync(a => a.CertificationId, ct);
        var rows = published.Select(c =>
        {
            var holding = held.GetValueOrDefault(c.Id);
            var sources = holding?.Sources ?? [];
            return new EnrollmentRow(
                c.Id,
                c.Name,
                c.IsInvisible,
                sources.Any(s => s.Kind == AssignmentSourceKind.Individual),
                [.. sources.Where(s => s.Kind == AssignmentSourceKind.Group).Select(s => s.GroupName!).Order(StringComparer.CurrentCulture)],
                sources.Any(s => s.Kind == AssignmentSourceKind.SelfStarted),
                holding?.Status);
        }).ToList();
        return new EnrollmentCard(learnerId, learner.Name, learner.Email, rows);
    }

    /// <summary>
    /// Applies the admin's "+" and "-" as one change: the additions and removals are what the page changed, so another
    /// admin's save in between is kept rather than overwritten. Nothing is saved when any of it cannot be.
    /// </summary>
    public async Task<EnrollmentOutcome> SaveIndividualAsync(Actor actor, int learnerId, IReadOnlyCollection<int> add, IReadOnlyCollection<int> remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        await guard.RequireAdminAsync(actor, "individual enrolment", ct);
        if (add.Intersect(remove).Any())
        {
            return EnrollmentOutcome.Fail("A certification cannot be added and removed in the same save.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Learners.AnyAsync(l => l.Id == learnerId, ct))
        {
            return EnrollmentOutcome.Fail("This learner no longer exists.");
        }

        var adding = await db.Certifications.AsNoTracking()
            .Where(c => add.Contains(c.Id))
            .OrderBy(c => c.Name)
            .Select(c => new { c.Id, c.Name, c.State, c.GraceDays, Courses = c.Courses.Count })
            .ToListAsync(ct);
        var unavailable = adding.Where(c => c.State != CertificationState.Published).Select(c => c.Name)
            .Concat(add.Count > adding.Count ? ["a certification that was deleted"] : [])
            .ToList();
        if (unavailable.Count > 0)
        {
            return EnrollmentOutcome.Fail($"Nothing was saved: {string.Join(", ", unavailable)} is no longer published. Reload the page to see the current list.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var ids = add.Concat(remove).ToList();
        var assignments = await db.Assignments
            .Include(a => a.Sources)
            .Include(a => a.Certification)
            .Where(a => a.LearnerId == learnerId && ids.Contains(a.CertificationId))
            .OrderBy(a => a.Certification!.Name)
            .ToDictionaryAsync(a => a.CertificationId, ct);

        var added = new List<string>();
        var assigned = new List<int>();
        foreach (var certification in adding)
        {
            var assignment = assignments.GetValueOrDefault(certification.Id);
            if (assignment?.Sources.Any(s => s.Kind == AssignmentSourceKind.Individual) == true)
            {
                continue;
            }

            if (assignment is null or { WithdrawnAt: not null })
            {
                assigned.Add(certification.Id);
            }

            assignment ??= NewAssignment(db, certification.Id, learnerId, certification.GraceDays, certification.Courses, now);
            Hold(assignment, AssignmentSourceKind.Individual, now);
            added.Add(certification.Name);
        }

        var removed = new List<string>();
        var withdrawn = 0;
        foreach (var id in assignments.Keys.Where(remove.Contains))
        {
            if (assignments.GetValueOrDefault(id) is not { } assignment
                || assignment.Sources.FirstOrDefault(s => s.Kind == AssignmentSourceKind.Individual) is not { } individual)
            {
                continue;
            }

            assignment.Sources.Remove(individual);
            db.AssignmentSources.Remove(individual);
            removed.Add(assignment.Certification!.Name);
            if (assignment.Sources.Count == 0 && assignment.WithdrawnAt is null)
            {
                assignment.WithdrawnAt = now;
                assignment.StatusChangedAt = now;
                withdrawn++;
            }
        }

        if (added.Count == 0 && removed.Count == 0)
        {
            return new EnrollmentOutcome(true, "Nothing to save: the enrolment is as it was.");
        }

        AuditTrail.Record(db, now, actor.Name, EntityType, learnerId, "EnrolmentChanged", new { Added = added, Removed = removed, Withdrawn = withdrawn });
        if (!await TrySaveAsync(db, [.. assigned.Select(id => NotificationRules.Assigned(learnerId, id, now))], now, ct))
        {
            return EnrollmentOutcome.Fail(SavedMeanwhile);
        }

        await AnnounceAsync(learnerId, [.. ids], ct);
        var message = (added.Count, removed.Count) switch
        {
            ( > 0, 0) => $"Enrolled in {Join(added)}.",
            (0, _) => $"Removed from {Join(removed)}.{Kept(removed.Count, withdrawn)}",
            _ => $"Enrolled in {Join(added)}; removed from {Join(removed)}.{Kept(removed.Count, withdrawn)}",
        };
        return new EnrollmentOutcome(true, message, added.Count, removed.Count, withdrawn);
    }

    /// <summary>A learner starts a published, visible certification that targets no group: it is open to anyone.</summary>
    public async Task<EnrollmentOutcome> StartAsync(Actor actor, int certificationId, CancellationToken ct = default)
    {
        await guard.RequireSignedInAsync(actor, "starting a certification", ct);
        if (actor.LearnerId is not { } learnerId)
        {
            return EnrollmentOutcome.Fail("Your account is not linked to a learner record, so it cannot start certifications.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var certification = await db.Certifications.AsNoTracking()
            .Where(c => c.Id == certificationId)
            .Select(c => new { c.Name, c.State, c.IsInvisible, Targeted = c.TargetGroups.Any(), c.GraceDays, Courses = c.Courses.Count })
            .SingleOrDefaultAsync(ct);
        if (certification is null || certification.State != CertificationState.Published || certification.IsInvisible)
        {
            return EnrollmentOutcome.Fail("This certification is no longer available.");
        }

        if (certification.Targeted)
        {
            return EnrollmentOutcome.Fail($"\u201c{certification.Name}\u201d is assigned to groups; ask your manager or an administrator to enrol you.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var assignment = await db.Assignments.Include(a => a.Sources)
            .SingleOrDefaultAsync(a => a.CertificationId == certificationId && a.LearnerId == learnerId, ct);
        if (assignment is { WithdrawnAt: null })
        {
            return new EnrollmentOutcome(true, $"You already have \u201c{certification.Name}\u201d.");
        }

        assignment ??= NewAssignment(db, certificationId, learnerId, certification.GraceDays, certification.Courses, now);
        Hold(assignment, AssignmentSourceKind.SelfStarted, now);
        AuditTrail.Record(db, now, actor.Name, EntityType, learnerId, "CertificationStarted", new { Certification = certification.Name });
        if (!await TrySaveAsync(db, [], now, ct))
        {
            return EnrollmentOutcome.Fail(SavedMeanwhile);
        }

        await AnnounceAsync(learnerId, [certificationId], ct);
        return new EnrollmentOutcome(true, $"Started \u201c{certification.Name}\u201d.", Added: 1);
    }

    /// <summary>A new assignment takes the grace period in force now; later changes to it never touch this learner.</summary>
    private static Assignment NewAssignment(CertificationsDbContext db, int certificationId, int learnerId, int graceDays, int courses, DateTime now)
    {
        var assignment = new Assignment
        {
            CertificationId = certificationId,
            LearnerId = learnerId,
            AssignedAt = now,
            GraceDays = graceDays,
            CoursesRequired = courses,
            StatusChangedAt = now,
        };
        db.Assignments.Add(assignment);
        return assignment;
    }

    /// <summary>Adds the source; a withdrawn assignment comes back with its history.</summary>
    private static void Hold(Assignment assignment, AssignmentSourceKind kind, DateTime now)
    {
        if (!assignment.Sources.Any(s => s.Kind == kind))
        {
            assignment.Sources.Add(new AssignmentSource { Kind = kind, AddedAt = now });
        }

        if (assignment.WithdrawnAt is not null)
        {
            assignment.WithdrawnAt = null;
            assignment.StatusChangedAt = now;
        }
    }

    /// <summary>
    /// Two saves creating the same assignment at once: the unique index refuses the second, whole. The learners
    /// assigned by an admin are told in the same transaction (one who started a certification themselves knows).
    /// </summary>
    private static async Task<bool> TrySaveAsync(CertificationsDbContext db, IReadOnlyList<NotificationEvent> notices, DateTime now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return false;
        }

        var notifications = new NotificationOutbox();
        notifications.Add(notices);
        await notifications.SaveAsync(db, now, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task AnnounceAsync(int learnerId, IReadOnlyList<int> certificationIds, CancellationToken ct)
    {
        var changes = certificationIds.Distinct().Select(id => new EnrollmentChange { CertificationId = id, LearnerId = learnerId }).ToList();
        await EnrollmentSync.AnnounceAsync(new EnrollmentChanges(changes, [], []), recompute, events, logger, ct);
    }

    private static string Join(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\u201c{n}\u201d"));

    private static string Kept(int removed, int withdrawn) => removed == withdrawn
        ? ""
        : " Where a group or the learner's own start still holds it, the learner keeps it.";
}
