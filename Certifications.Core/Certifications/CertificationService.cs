using System.Data.Common;
using Certifications.Core.Auditing;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Certifications;

/// <summary>Creates, edits and moves certifications through Draft, Published, Retired and Deleted.</summary>
public sealed class CertificationService(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    EventHub events,
    AccessGuard guard,
    ProgressRecompute recompute,
    ILogger<CertificationService> logger)
{
    public const int MaxPageSize = 200;

    private const string EntityType = "Certification";

    public async Task<CertificationOutcome> CreateAsync(CertificationDraft draft, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminAsync(actor, "creating certifications", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var errors = await ValidateAsync(db, draft, ValidationPurpose.Save, null, ct);
        if (errors.Count > 0)
        {
            return CertificationOutcome.Invalid(errors);
        }

        var now = Now();
        var certification = new Certification { Name = "", CreatedAt = now };
        Apply(draft, certification, now);
        db.Certifications.Add(certification);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await TrySaveAsync(db, ct) is { } failure)
        {
            return failure;
        }

        AuditTrail.Record(db, now, actor.Name, EntityType, certification.Id, "Created", Describe(CertificationDraft.From(certification)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await events.PublishAsync(new CertificationChanged(certification.Id));
        return CertificationOutcome.Saved(certification.Id, certification.Version);
    }

    public async Task<CertificationOutcome> UpdateAsync(CertificationDraft draft, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminAsync(actor, "editing certifications", ct);
        if (draft.Id is not { } id)
        {
            return CertificationOutcome.Fail(FailureKind.NotFound, "This certification has not been saved yet.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var certification = await LoadAsync(db, id, ct);
        if (certification is null)
        {
            return NotFound();
        }

        if (await StaleAsync(db, certification, draft.Version, ct) is { } conflict)
        {
            return conflict;
        }

        var purpose = certification.State == CertificationState.Published ? ValidationPurpose.Publish : ValidationPurpose.Save;
        var errors = await ValidateAsync(db, draft, purpose, id, ct);
        if (errors.Count > 0)
        {
            return CertificationOutcome.Invalid(errors);
        }

        var before = CertificationDraft.From(certification);
        var now = Now();
        Apply(draft, certification, now);
        var changes = Diff(before, CertificationDraft.From(certification));
        if (changes.Count == 0)
        {
            return CertificationOutcome.Saved(id, before.Version!.Value);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        AuditTrail.Record(db, now, actor.Name, EntityType, id, "Updated", changes);
        if (await TrySaveAsync(db, ct) is { } failure)
        {
            return failure;
        }

        // Targets may have been added or removed: members of a new group are assigned, learners left with no source
        // are withdrawn (their completions stay). Courses or terms may have changed: everyone is recomputed.
        var enrolment = certification.State == CertificationState.Published
            ? await EnrollmentSync.CertificationChangedAsync(db, id, now, ct)
            : EnrollmentChanges.None;
        if (!enrolment.IsEmpty)
        {
            AuditTrail.Record(db, now, actor.Name, EntityType, id, "EnrolmentChanged", new
            {
                Assigned = enrolment.Assigned.Count,
                Restored = enrolment.Restored.Count,
                Withdrawn = enrolment.Withdrawn.Count,
            });
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        await RecomputeAfterCommitAsync(id, certification.State == CertificationState.Published, progress: null, ct);
        await AnnounceAsync(id, enrolment);
        await events.PublishAsync(new CertificationChanged(id));
        return CertificationOutcome.Saved(id, certification.Version);
    }

    /// <param name="progress">Told the assigned learners whose progress is worked out so far, of all, once they are assigned.</param>
    public Task<CertificationOutcome> PublishAsync(int id, Guid version, Actor actor, IProgress<OperationProgress>? progress = null, CancellationToken ct = default) =>
        ChangeStateAsync(id, version, actor, CertificationState.Published, progress, ct);

    public Task<CertificationOutcome> UnpublishAsync(int id, Guid version, Actor actor, CancellationToken ct = default) =>
        ChangeStateAsync(id, version, actor, CertificationState.Draft, progress: null, ct);

    public Task<CertificationOutcome> RetireAsync(int id, Guid version, Actor actor, CancellationToken ct = default) =>
        ChangeStateAsync(id, version, actor, CertificationState.Retired, progress: null, ct);

    public Task<CertificationOutcome> DeleteAsync(int id, Guid version, Actor actor, CancellationToken ct = default) =>
        ChangeStateAsync(id, version, actor, CertificationState.Deleted, progress: null, ct);

    public async Task<CertificationForEdit?> GetForEditAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "editing certifications", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var certification = await db.Certifications.AsNoTracking()
            .Include(c => c.Courses).Include(c => c.TargetGroups)
            .SingleOrDefaultAsync(c => c.Id == id && c.State != CertificationState.Deleted, ct);
        if (certification is null)
        {
            return null;
        }

        var draft = CertificationDraft.From(certification);
        var facts = await LoadFactsAsync(db, draft, id, ct);
        var warnings = new List<string>();
        foreach (var courseId in draft.CourseIds)
        {
            if (facts.Courses.TryGetValue(courseId, out var course) && (!course.IsPublished || course.IsTrigger))
            {
                warnings.Add($"\u201c{course.Title}\u201d is no longer published: learners cannot play it, and this certification cannot be published again until it is published or removed.");
            }
        }

        var active = await ActiveAssignments(db, id).CountAsync(ct);
        return new CertificationForEdit(draft, certification.State, active, warnings, facts);
    }

    /// <summary>The certification's audit trail, newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> GetAuditTrailAsync(Actor actor, int id, int take = 200, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the audit trail", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == EntityType && e.EntityId == key)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(take, 1, 1000))
            .Select(e => new AuditRecord(e.At, e.Actor, e.Action, e.Changes))
            .ToListAsync(ct);
    }

    /// <summary>What retiring or deleting would do to learners, for the confirmation the admin reads first.</summary>
    public async Task<CertificationImpact> GetImpactAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "certification impact", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var active = ActiveAssignments(db, id);
        return new CertificationImpact(
            await EnrollmentSync.CountUnassignedMembersAsync(db, id, ct),
            await active.CountAsync(ct),
            await active.CountAsync(a => !a.Periods.Any(p => p.CompletedAt != null), ct),
            await db.Assignments.CountAsync(a => a.CertificationId == id && a.Periods.Any(p => p.CompletedAt != null), ct));
    }

    /// <summary>
    /// What saving a published certification with these targeted groups would do: members of the groups who do not
    /// hold it would be assigned; learners holding it only through groups they would no longer be reached by would be
    /// withdrawn (their completions stay).
    /// </summary>
    public async Task<TargetChangeImpact> GetTargetChangeImpactAsync(Actor actor, int id, IReadOnlyCollection<int> groupIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        await guard.RequireAdminAsync(actor, "certification impact", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var groups = groupIds.ToList();
        var assigned = await db.GroupMembers
            .Where(m => groups.Contains(m.GroupId))
            .Where(m => !db.Assignments.Any(a => a.CertificationId == id && a.LearnerId == m.LearnerId && a.WithdrawnAt == null))
            .Select(m => m.LearnerId)
            .Distinct()
            .CountAsync(ct);
        var withdrawn = await ActiveAssignments(db, id)
            .Where(a => a.Sources.All(s => s.Kind == AssignmentSourceKind.Group))
            .Where(a => !db.GroupMembers.Any(m => m.LearnerId == a.LearnerId && groups.Contains(m.GroupId)))
            .CountAsync(ct);
        var names = await db.Groups.AsNoTracking()
            .Where(g => groups.Contains(g.Id) || db.CertificationGroups.Any(cg => cg.CertificationId == id && cg.GroupId == g.Id))
            .ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        return new TargetChangeImpact(assigned, withdrawn, names);
    }

    /// <summary>The admin list: one query, counts computed in the database, paged.</summary>
    public async Task<Page<CertificationListItem>> ListAsync(Actor actor, CertificationListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await guard.RequireAdminAsync(actor, "the certifications list", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var certifications = db.Certifications.AsNoTracking().Where(c => c.State != CertificationState.Deleted);
        if (SearchPattern.Contains(query.Search) is { } pattern)
        {
            certifications = certifications.Where(c => SearchPattern.Matches(c.Name, pattern));
        }

        if (query.State is { } state)
        {
            certifications = certifications.Where(c => c.State == state);
        }

        return await certifications.OrderBy(c => c.Name).ToPageAsync(query.Page, query.PageSize, MaxPageSize, c => new CertificationListItem(
                c.Id,
                c.Name,
                c.State,
                c.IsInvisible,
                c.RenewalRequired,
                c.RenewalPeriodMonths,
                c.EffectiveFrom,
                c.Courses.Count,
                c.TargetGroups.Count,
                db.Assignments.Count(a => a.CertificationId == c.Id && a.WithdrawnAt == null),
                db.Assignments.Count(a => a.CertificationId == c.Id && a.Periods.Any(p => p.CompletedAt != null)),
                c.UpdatedAt), ct);
    }

    /// <summary>The facts the rules need for this draft: its courses, its groups, and whether its name is taken.</summary>
    public async Task<CatalogFacts> GetFactsAsync(Actor actor, CertificationDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminAsync(actor, "certification rules", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await LoadFactsAsync(db, draft, draft.Id, ct);
    }

    internal static async Task<CatalogFacts> LoadFactsAsync(CertificationsDbContext db, CertificationDraft draft, int? excludeId, CancellationToken ct)
    {
        var courseIds = draft.CourseIds.Distinct().ToList();
        var groupIds = draft.GroupIds.Distinct().ToList();
        var courses = await db.Courses.AsNoTracking()
            .Where(c => courseIds.Contains(c.Id))
            .Select(c => new CourseFact(c.Id, c.Title, c.IsPublished, c.IsTrigger, c.Steps.Count, c.Steps.Count(s => s.IsGraded)))
            .ToDictionaryAsync(c => c.Id, ct);
        var groupCourses = await db.GroupCourses.AsNoTracking()
            .Where(gc => groupIds.Contains(gc.GroupId) && courseIds.Contains(gc.CourseId))
            .Select(gc => new { gc.GroupId, gc.CourseId })
            .ToListAsync(ct);
        var groups = await db.Groups.AsNoTracking()
            .Where(g => groupIds.Contains(g.Id))
            .Select(g => new { g.Id, g.Name })
            .ToListAsync(ct);
        var normalized = CertificationDraft.NormalizeName(draft.Name);
        var nameTaken = await db.Certifications.AnyAsync(
            c => c.NormalizedName == normalized && c.State != CertificationState.Deleted && (excludeId == null || c.Id != excludeId), ct);
        return new CatalogFacts(
            courses,
            groups.ToDictionary(
                g => g.Id,
                g => new GroupFact(g.Id, g.Name, groupCourses.Where(gc => gc.GroupId == g.Id).Select(gc => gc.CourseId).ToHashSet())),
            nameTaken ? new HashSet<string> { normalized } : new HashSet<string>());
    }

    private async Task<CertificationOutcome> ChangeStateAsync(
        int id, Guid version, Actor actor, CertificationState target, IProgress<OperationProgress>? progress, CancellationToken ct)
    {
        await guard.RequireAdminAsync(actor, $"changing the state of certifications", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var certification = await LoadAsync(db, id, ct);
        if (certification is null)
        {
            return NotFound();
        }

        if (await StaleAsync(db, certification, version, ct) is { } conflict)
        {
            return conflict;
        }

        var from = certification.State;
        var allowed = (from, target) switch
        {
            (CertificationState.Draft, CertificationState.Published) => true,
            (CertificationState.Published, CertificationState.Draft) => true,
            (CertificationState.Published, CertificationState.Retired) => true,
            (not CertificationState.Deleted, CertificationState.Deleted) => true,
            _ => false,
        };
        if (!allowed)
        {
            return CertificationOutcome.Fail(FailureKind.NotAllowed, $"A {from.ToString().ToLowerInvariant()} certification cannot be made {target.ToString().ToLowerInvariant()}.");
        }

        if (target == CertificationState.Published)
        {
            var errors = await ValidateAsync(db, CertificationDraft.From(certification), ValidationPurpose.Publish, id, ct);
            if (errors.Count > 0)
            {
                return CertificationOutcome.Invalid(errors);
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (target == CertificationState.Draft)
        {
            // A completion keeps the certification on the learner's profile, so it holds it too.
            var holders = await db.Assignments.CountAsync(
                a => a.CertificationId == id && (a.WithdrawnAt == null || a.Periods.Any(p => p.CompletedAt != null)), ct);
            if (holders > 0)
            {
                return CertificationOutcome.Fail(
                    FailureKind.NotAllowed,
                    $"{holders:N0} learner{(holders == 1 ? " holds" : "s hold")} this certification, so it cannot go back to draft. Retire it instead.");
            }
        }

        var now = Now();
        certification.State = target;
        certification.UpdatedAt = now;
        certification.Version = Guid.NewGuid();
        switch (target)
        {
            case CertificationState.Published:
                certification.PublishedAt = now;
                break;
            case CertificationState.Retired:
                certification.RetiredAt = now;
                break;
            case CertificationState.Deleted:
                certification.DeletedAt = now;
                break;
        }

        var withdrawn = 0;
        var enrolment = EnrollmentChanges.None;
        if (target is CertificationState.Retired or CertificationState.Deleted)
        {
            // Nobody is assigned anew or asked to renew; the rules keep a completion on the learner's profile
            // (Completed, or Certified until its expiry) and show the rest as withdrawn.
            withdrawn = await ActiveAssignments(db, id).CountAsync(a => !a.Periods.Any(p => p.CompletedAt != null), ct);
            await ActiveAssignments(db, id).ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, now), ct);
        }

        if (await TrySaveAsync(db, ct) is { } failure)
        {
            return failure;
        }

        if (target == CertificationState.Published)
        {
            enrolment = await EnrollmentSync.CertificationChangedAsync(db, id, now, ct);
        }

        AuditTrail.Record(db, now, actor.Name, EntityType, id, StateAction(target), new { From = from.ToString(), To = target.ToString(), AssignmentsCreated = enrolment.Assigned.Count + enrolment.Restored.Count, AssignmentsWithdrawn = withdrawn });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await RecomputeAfterCommitAsync(id, !enrolment.IsEmpty || target is CertificationState.Retired or CertificationState.Deleted, progress, ct);
        await AnnounceAsync(id, enrolment);
        await events.PublishAsync(new CertificationChanged(id));
        return CertificationOutcome.Saved(id, certification.Version);
    }

    /// <summary>
    /// Assignments get their periods and status from the results at once, by the same rules as always. The change is
    /// already committed: a failure here is logged and repaired by the next recompute, never reported as a failed save.
    /// </summary>
    private async Task RecomputeAfterCommitAsync(int id, bool needed, IProgress<OperationProgress>? progress, CancellationToken ct)
    {
        if (!needed)
        {
            return;
        }

        await recompute.RecomputeAfterCommitAsync(id, learnerIds: null, logger, progress, ct);
    }

    /// <summary>Tells open pages who was assigned, restored or withdrawn, even where the recomputed status is unchanged.</summary>
    private async Task AnnounceAsync(int id, EnrollmentChanges enrolment)
    {
        if (!enrolment.IsEmpty)
        {
            await events.PublishAsync(new AssignmentsChanged(id, [.. enrolment.All.Select(c => c.LearnerId).Distinct()]));
        }
    }

    private static string StateAction(CertificationState target) => target switch
    {
        CertificationState.Published => "Published",
        CertificationState.Draft => "Unpublished",
        CertificationState.Retired => "Retired",
        _ => "Deleted",
    };

    private static IQueryable<Assignment> ActiveAssignments(CertificationsDbContext db, int certificationId) =>
        db.Assignments.Where(a => a.CertificationId == certificationId && a.WithdrawnAt == null);

    private static Task<Certification?> LoadAsync(CertificationsDbContext db, int id, CancellationToken ct) =>
        db.Certifications.Include(c => c.Courses).Include(c => c.TargetGroups)
            .SingleOrDefaultAsync(c => c.Id == id && c.State != CertificationState.Deleted, ct);

    private static CertificationOutcome NotFound() =>
        CertificationOutcome.Fail(FailureKind.NotFound, "This certification no longer exists: it may have been deleted.");

    /// <summary>Refuses a change made from an older version, naming who changed it since.</summary>
    private static async Task<CertificationOutcome?> StaleAsync(CertificationsDbContext db, Certification certification, Guid? expected, CancellationToken ct)
    {
        if (expected == certification.Version)
        {
            return null;
        }

        return await ConflictAsync(db, certification.Id, ct);
    }

    private static async Task<CertificationOutcome> ConflictAsync(CertificationsDbContext db, int id, CancellationToken ct)
    {
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == EntityType && e.EntityId == key)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.Actor, e.At })
            .FirstOrDefaultAsync(ct);
        var who = last is null ? "someone else" : $"{last.Actor} at {last.At:HH:mm} UTC on {last.At:d MMM yyyy}";
        return CertificationOutcome.Fail(
            FailureKind.Conflict,
            $"This certification was changed by someone else ({who}) after you opened it. Nothing was saved: reload to see their changes, then make yours again.");
    }

    private static async Task<CertificationOutcome?> TrySaveAsync(CertificationsDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            var id = db.ChangeTracker.Entries<Certification>().Select(e => e.Entity.Id).FirstOrDefault();
            db.ChangeTracker.Clear();
            return await ConflictAsync(db, id, ct);
        }
        catch (DbUpdateException ex) when (IsNameCollision(ex) && db.ChangeTracker.Entries<Certification>().Any())
        {
            // Two admins created the same name at the same moment: the unique index decided.
            var name = db.ChangeTracker.Entries<Certification>().First().Entity.Name;
            db.ChangeTracker.Clear();
            return CertificationOutcome.Invalid([new FieldError(nameof(CertificationDraft.Name), $"Another certification is already called \u201c{name}\u201d. Choose a different name.")]);
        }
    }

    private static bool IsNameCollision(DbUpdateException ex) =>
        ex.InnerException?.Message.Contains(nameof(Certification.NormalizedName), StringComparison.Ordinal) == true;

    private static async Task<IReadOnlyList<FieldError>> ValidateAsync(CertificationsDbContext db, CertificationDraft draft, ValidationPurpose purpose, int? id, CancellationToken ct)
    {
        var facts = await LoadFactsAsync(db, draft, id, ct);
        ValidationResult result = await new CertificationValidator(facts, purpose).ValidateAsync(draft, ct);
        return [.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))];
    }

    private static void Apply(CertificationDraft draft, Certification certification, DateTime now)
    {
        certification.Name = draft.Name.Trim();
        certification.NormalizedName = CertificationDraft.NormalizeName(draft.Name);
        certification.Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        certification.IsInvisible = draft.IsInvisible;
        certification.EffectiveFrom = draft.EffectiveFrom!.Value;
        certification.DueDate = draft.RenewalRequired ? null : draft.DueDate;
        certification.GraceDays = draft.GraceDays;
        certification.RenewalRequired = draft.RenewalRequired;
        certification.RenewalPeriodMonths = draft.RenewalRequired ? draft.RenewalPeriodMonths : null;
        certification.RenewalWindowDays = draft.RenewalWindowDays;
        certification.RenewalAnchor = draft.RenewalAnchor;
        certification.MinimumPassingGrade = draft.MinimumPassingGrade;
        certification.ReminderDays = draft.ReminderDays;
        certification.NotificationEvents = draft.NotificationEvents & Notifications.NotificationEvents.All;

        var courseIds = draft.CourseIds.Distinct().ToList();
        certification.Courses.RemoveAll(c => !courseIds.Contains(c.CourseId));
        for (var position = 0; position < courseIds.Count; position++)
        {
            var existing = certification.Courses.Find(c => c.CourseId == courseIds[position]);
            if (existing is null)
            {
                certification.Courses.Add(new CertificationCourse { CourseId = courseIds[position], Position = position });
            }
            else if (existing.Position != position)
            {
                existing.Position = position;
            }
        }

        var groupIds = draft.GroupIds.Distinct().ToList();
        certification.TargetGroups.RemoveAll(g => !groupIds.Contains(g.GroupId));
        foreach (var groupId in groupIds.Where(g => certification.TargetGroups.TrueForAll(t => t.GroupId != g)))
        {
            certification.TargetGroups.Add(new CertificationGroup { GroupId = groupId });
        }

        certification.UpdatedAt = now;
        certification.Version = Guid.NewGuid();
    }

    private static Dictionary<string, object?> Describe(CertificationDraft d) => new()
    {
        [nameof(d.Name)] = d.Name,
        [nameof(d.Description)] = d.Description,
        [nameof(d.IsInvisible)] = d.IsInvisible,
        [nameof(d.EffectiveFrom)] = d.EffectiveFrom,
        [nameof(d.DueDate)] = d.DueDate,
        [nameof(d.GraceDays)] = d.GraceDays,
        [nameof(d.RenewalRequired)] = d.RenewalRequired,
        [nameof(d.RenewalPeriodMonths)] = d.RenewalPeriodMonths,
        [nameof(d.RenewalWindowDays)] = d.RenewalWindowDays,
        [nameof(d.RenewalAnchor)] = d.RenewalAnchor.ToString(),
        [nameof(d.MinimumPassingGrade)] = d.MinimumPassingGrade,
        [nameof(d.ReminderDays)] = d.ReminderDays,
        [nameof(d.NotificationEvents)] = d.NotificationEvents.ToString(),
        [nameof(d.CourseIds)] = string.Join(",", d.CourseIds),
        [nameof(d.GroupIds)] = string.Join(",", d.GroupIds.Order()),
    };

    /// <summary>Field-by-field changes, as { field: { from, to } }, for the audit trail.</summary>
    private static Dictionary<string, object> Diff(CertificationDraft before, CertificationDraft after)
    {
        var old = Describe(before);
        var changes = new Dictionary<string, object>();
        foreach (var (field, value) in Describe(after))
        {
            if (!Equals(old[field], value))
            {
                changes[field] = new { From = old[field], To = value };
            }
        }

        return changes;
    }


    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
