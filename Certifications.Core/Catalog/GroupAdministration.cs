using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Catalog;

/// <summary>A course assigned to a group, with the published certifications targeting the group that include it.</summary>
public sealed record GroupCourseRow(int CourseId, string Title, bool IsPublished, bool IsTrigger, IReadOnlyList<string> RequiredBy);

public sealed record TargetingCertification(int Id, string Name, CertificationState State);

/// <summary>A group as its page opens it: name, version, its courses and the certifications that target it.</summary>
public sealed record GroupForEdit(int Id, string Name, Guid Version, int MemberCount, IReadOnlyList<GroupCourseRow> Courses, IReadOnlyList<TargetingCertification> TargetedBy);

public sealed record GroupMemberRow(int LearnerId, string Name, string Email, DateTime JoinedAt);

/// <summary>A course that can be assigned to a group.</summary>
public sealed record CourseChoice(int Id, string Title, bool IsPublished, bool IsTrigger);

/// <summary>
/// Creates and renames groups, changes their members and their courses: validated, audited, one transaction per
/// change, refused when another admin changed the group first. Members joining or leaving are assigned or withdrawn
/// by the enrolment rules in the same transaction; <see cref="PreviewMembersAsync"/> and
/// <see cref="PreviewCourseRemovalAsync"/> say what a change would do before it is made.
/// </summary>
public sealed class GroupAdministration(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events,
    ILogger<GroupAdministration> logger)
{
    public const int MaxPageSize = 100;

    /// <summary>Learners added or removed in one change.</summary>
    public const int MaxMembersPerChange = 200;

    private const string EntityType = "Group";
    private const string ThisGroup = "This group";
    private const string What = "editing groups";

    private readonly CatalogFollowUp followUp = new(recompute, events, logger);

    public async Task<GroupForEdit?> GetForEditAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await guard.RequireAdminOrApiClientAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var group = await db.Groups.AsNoTracking().Where(g => g.Id == id)
            .Select(g => new
            {
                g.Id,
                g.Name,
                g.Version,
                Members = g.Members.Count,
                Courses = g.Courses.OrderBy(gc => gc.Course!.Title)
                    .Select(gc => new { gc.CourseId, gc.Course!.Title, gc.Course.IsPublished, gc.Course.IsTrigger }).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (group is null)
        {
            return null;
        }

        var targetedBy = await db.CertificationGroups.AsNoTracking()
            .Where(cg => cg.GroupId == id && cg.Certification!.State != CertificationState.Deleted)
            .OrderBy(cg => cg.Certification!.Name)
            .Select(cg => new TargetingCertification(cg.CertificationId, cg.Certification!.Name, cg.Certification.State))
            .ToListAsync(ct);
        var requiredBy = (await db.CertificationCourses.AsNoTracking()
                .Where(cc => cc.Certification!.State == CertificationState.Published && cc.Certification.TargetGroups.Any(t => t.GroupId == id))
                .Select(cc => new { cc.CourseId, cc.Certification!.Name })
                .ToListAsync(ct))
            .ToLookup(cc => cc.CourseId, cc => cc.Name);
        return new GroupForEdit(
            group.Id,
            group.Name,
            group.Version,
            group.Members,
            [.. group.Courses.Select(c => new GroupCourseRow(c.CourseId, c.Title, c.IsPublished, c.IsTrigger, [.. requiredBy[c.CourseId].Order()]))],
            targetedBy);
    }

    public async Task<CatalogOutcome> CreateAsync(Actor actor, GroupDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminOrApiClientAsync(actor, "creating groups", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ValidateAsync(db, draft, null, ct) is { Count: > 0 } errors)
        {
            return CatalogOutcome.Invalid(errors);
        }

        var group = new Group { Name = draft.Name.Trim() };
        db.Groups.Add(group);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record(db, Now(), actor.Name, EntityType, group.Id, "Created", new { group.Name });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return CatalogOutcome.Saved(group.Id, group.Version);
    }

    public async Task<CatalogOutcome> RenameAsync(Actor actor, int id, Guid version, GroupDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminOrApiClientAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ClaimAsync(db, id, version, ct) is { } refused)
        {
            return refused;
        }

        if (await ValidateAsync(db, draft, id, ct) is { Count: > 0 } errors)
        {
            return CatalogOutcome.Invalid(errors);
        }

        var group = await db.Groups.SingleAsync(g => g.Id == id, ct);
        var name = draft.Name.Trim();
        if (group.Name == name)
        {
            return CatalogOutcome.Saved(id, version);
        }

        AuditTrail.Record(db, Now(), actor.Name, EntityType, id, "Renamed", new { Name = new { From = group.Name, To = name } });
        group.Name = name;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return CatalogOutcome.Saved(id, group.Version);
    }

    /// <summary>One page of the group's members, searched by name or email.</summary>
    public async Task<Page<GroupMemberRow>> MembersAsync(Actor actor, int id, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await guard.RequireAdminOrApiClientAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var members = db.GroupMembers.AsNoTracking().Where(m => m.GroupId == id);
        if (SearchPattern.Contains(search) is { } pattern)
        {
            members = members.Where(m => SearchPattern.Matches(m.Learner!.Name, pattern) || SearchPattern.Matches(m.Learner!.Email, pattern));
        }

        return await members.OrderBy(m => m.Learner!.Name).ThenBy(m => m.LearnerId).ToPageAsync(
            page, pageSize, MaxPageSize, m => new GroupMemberRow(m.LearnerId, m.Learner!.Name, m.Learner.Email, m.JoinedAt), ct);
    }

    /// <summary>Learners who are not members of the group yet, whose name or email contains the text, one page at a time.</summary>
    public async Task<Page<LearnerOption>> SearchNewMembersAsync(Actor actor, int id, string? text, int page = 0, int pageSize = 20, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var learners = db.Learners.AsNoTracking().Where(l => !l.Groups.Any(m => m.GroupId == id));
        if (SearchPattern.Contains(text) is { } pattern)
        {
            learners = learners.Where(l => SearchPattern.Matches(l.Name, pattern) || SearchPattern.Matches(l.Email, pattern));
        }

        return await learners.OrderBy(l => l.Name).ThenBy(l => l.Id).ToPageAsync(page, pageSize, LearnerAdministration.MaxPageSize, l => new LearnerOption(l.Id, l.Name, l.Email), ct);
    }

    /// <summary>Who would be assigned which certification, and whose would be withdrawn; nothing is changed.</summary>
    public async Task<ChangeImpact> PreviewMembersAsync(Actor actor, int id, IReadOnlyCollection<int> add, IReadOnlyCollection<int> remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await MembersProblemAsync(db, id, add, remove, ct) is { } problem)
        {
            return new ChangeImpact([], [problem]);
        }

        var (joining, leaving) = await ActualChangesAsync(db, id, add, remove, ct);
        return new ChangeImpact(await MembershipChanges.PreviewAsync(db, joining, leaving, unsavedNames: null, ct), []);
    }

    /// <summary>Adds and removes members; the enrolment rules assign and withdraw in the same transaction.</summary>
    public async Task<CatalogOutcome> ChangeMembersAsync(Actor actor, int id, Guid version, IReadOnlyCollection<int> add, IReadOnlyCollection<int> remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        await guard.RequireAdminOrApiClientAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ClaimAsync(db, id, version, ct) is { } refused)
        {
            return refused;
        }

        if (await MembersProblemAsync(db, id, add, remove, ct) is { } problem)
        {
            return CatalogOutcome.Invalid([problem]);
        }

        var (joining, leaving) = await ActualChangesAsync(db, id, add, remove, ct);
        if (joining.Count == 0 && leaving.Count == 0)
        {
            return CatalogOutcome.Saved(id, version);
        }

        var now = Now();
        var changed = joining.Concat(leaving).Select(m => m.LearnerId).ToList();
        var groupsBefore = await MembershipChanges.GroupNamesOfAsync(db, changed, ct);
        var leavingIds = leaving.Select(m => m.LearnerId).ToList();
        await db.GroupMembers.Where(m => m.GroupId == id && leavingIds.Contains(m.LearnerId)).ExecuteDeleteAsync(ct);
        db.GroupMembers.AddRange(joining.Select(m => new GroupMember { GroupId = id, LearnerId = m.LearnerId, JoinedAt = now }));
        await db.SaveChangesAsync(ct);
        await CatalogVersions.RenewAsync(db, [], changed, ct);

        var group = await db.Groups.AsNoTracking().Where(g => g.Id == id).Select(g => new { g.Name, g.Version, Members = g.Members.Count }).SingleAsync(ct);
        var people = await db.Learners.AsNoTracking().Where(l => changed.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => $"{l.Name} <{l.Email}>", ct);
        AuditTrail.Record(db, now, actor.Name, EntityType, id, "MembersChanged", new
        {
            Added = joining.Select(m => people[m.LearnerId]).Order().ToList(),
            Removed = leaving.Select(m => people[m.LearnerId]).Order().ToList(),
            Members = new { From = group.Members - joining.Count + leaving.Count, To = group.Members },
        });
        var groupsAfter = await MembershipChanges.GroupNamesOfAsync(db, changed, ct);
        foreach (var learnerId in changed)
        {
            AuditTrail.Record(db, now, actor.Name, LearnerAdministration.EntityType, learnerId, "GroupsChanged", new
            {
                Groups = new { From = groupsBefore[learnerId], To = groupsAfter[learnerId] },
            });
        }

        await db.SaveChangesAsync(ct);
        var enrolment = await EnrollmentSync.MembershipChangedAsync(db, [id], now, ct);
        await transaction.CommitAsync(ct);
        await followUp.AnnounceEnrolmentAsync(enrolment, ct);
        return CatalogOutcome.Saved(id, group.Version);
    }

    /// <summary>Courses not assigned to the group yet whose title contains the text.</summary>
    public async Task<IReadOnlyList<CourseChoice>> SearchCoursesAsync(Actor actor, int id, string? text, int take = 20, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var courses = db.Courses.AsNoTracking().Where(c => !c.Groups.Any(gc => gc.GroupId == id));
        if (SearchPattern.Contains(text) is { } pattern)
        {
            courses = courses.Where(c => SearchPattern.Matches(c.Title, pattern));
        }

        return await courses.OrderBy(c => c.Title).Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(c => new CourseChoice(c.Id, c.Title, c.IsPublished, c.IsTrigger)).ToListAsync(ct);
    }

    public async Task<CatalogOutcome> AddCourseAsync(Actor actor, int id, Guid version, int courseId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ClaimAsync(db, id, version, ct) is { } refused)
        {
            return refused;
        }

        if (await db.Courses.AsNoTracking().Where(c => c.Id == courseId).Select(c => c.Title).SingleOrDefaultAsync(ct) is not { } title)
        {
            return CatalogOutcome.Fail(FailureKind.Invalid, $"Course #{courseId} no longer exists.", "Courses");
        }

        if (await db.GroupCourses.AnyAsync(gc => gc.GroupId == id && gc.CourseId == courseId, ct))
        {
            return CatalogOutcome.Saved(id, version);
        }

        db.GroupCourses.Add(new GroupCourse { GroupId = id, CourseId = courseId });
        AuditTrail.Record(db, Now(), actor.Name, EntityType, id, "CourseAssigned", new { Course = title });
        await db.SaveChangesAsync(ct);
        var next = await db.Groups.Where(g => g.Id == id).Select(g => g.Version).SingleAsync(ct);
        await transaction.CommitAsync(ct);
        return CatalogOutcome.Saved(id, next);
    }

    /// <summary>
    /// The published certifications that target the group and include the course: once it is removed the group no longer
    /// has all their courses. Nothing is changed.
    /// </summary>
    public async Task<ChangeImpact> PreviewCourseRemovalAsync(Actor actor, int id, int courseId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().Where(c => c.Id == courseId).Select(c => c.Title).SingleOrDefaultAsync(ct);
        var group = await db.Groups.AsNoTracking().Where(g => g.Id == id).Select(g => g.Name).SingleOrDefaultAsync(ct);
        if (course is null || group is null)
        {
            return new ChangeImpact([], [new FieldError("", "This group or course no longer exists. Reload the page.")]);
        }

        var certifications = await db.Certifications.AsNoTracking()
            .Where(c => c.State == CertificationState.Published && c.TargetGroups.Any(t => t.GroupId == id) && c.Courses.Any(cc => cc.CourseId == courseId))
            .OrderBy(c => c.Name)
            .Select(c => new { c.Id, c.Name })
            .ToListAsync(ct);
        if (certifications.Count == 0)
        {
            return ChangeImpact.None;
        }

        var names = certifications.Select(c => c.Name).ToList();
        var members = await db.GroupMembers.CountAsync(m => m.GroupId == id, ct);
        return new ChangeImpact(
            [
                new ImpactNote(
                    ImpactKind.GroupLosesCourse,
                    $"\u201c{group}\u201d is targeted by {CatalogVersions.Quoted(names)}, which {(names.Count == 1 ? "includes" : "include")} \u201c{course}\u201d: "
                    + $"without it the group no longer has all {(names.Count == 1 ? "its" : "their")} courses.",
                    $"Its {CatalogVersions.Count(members, "member")} stay assigned and keep their progress, but {(names.Count == 1 ? "the certification" : "these certifications")} "
                    + "cannot be saved until an admin assigns the course to the group again, removes the group from the targeted groups, or removes the course.",
                    names,
                    members),
            ],
            []);
    }

    public async Task<CatalogOutcome> RemoveCourseAsync(Actor actor, int id, Guid version, int courseId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ClaimAsync(db, id, version, ct) is { } refused)
        {
            return refused;
        }

        var assigned = await db.GroupCourses.Include(gc => gc.Course).SingleOrDefaultAsync(gc => gc.GroupId == id && gc.CourseId == courseId, ct);
        if (assigned is null)
        {
            return CatalogOutcome.Saved(id, version);
        }

        db.GroupCourses.Remove(assigned);
        AuditTrail.Record(db, Now(), actor.Name, EntityType, id, "CourseRemoved", new { Course = assigned.Course!.Title });
        await db.SaveChangesAsync(ct);
        var next = await db.Groups.Where(g => g.Id == id).Select(g => g.Version).SingleAsync(ct);
        var certifications = await db.CertificationGroups.Where(cg => cg.GroupId == id).Select(cg => cg.CertificationId).ToListAsync(ct);
        await transaction.CommitAsync(ct);
        await followUp.AnnounceAsync(certifications);
        return CatalogOutcome.Saved(id, next);
    }

    /// <summary>The group's audit trail, newest first.</summary>
    public async Task<IReadOnlyList<CatalogChange>> HistoryAsync(Actor actor, int id, int take = 100, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the audit trail", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await CatalogVersions.TrailAsync(db, EntityType, id, take, ct);
    }

    /// <summary>Claims the group's version inside the transaction; a refusal when it is gone or was changed meanwhile.</summary>
    private static async Task<CatalogOutcome?> ClaimAsync(CertificationsDbContext db, int id, Guid version, CancellationToken ct)
    {
        if (await CatalogVersions.ClaimGroupAsync(db, id, version, Guid.NewGuid(), ct) == 1)
        {
            return null;
        }

        return await db.Groups.AnyAsync(g => g.Id == id, ct)
            ? await CatalogVersions.ConflictAsync(db, EntityType, id, ThisGroup, ct)
            : CatalogOutcome.Fail(FailureKind.NotFound, "This group no longer exists. Go back to the list of groups.");
    }

    private static async Task<List<FieldError>> ValidateAsync(CertificationsDbContext db, GroupDraft draft, int? id, CancellationToken ct)
    {
        var normalized = GroupDraft.NormalizeName(draft.Name ?? "");
        var inUse = normalized.Length > 0 && await db.Groups.AnyAsync(g => g.Name.ToUpper() == normalized && g.Id != id, ct);
        var result = await new GroupDraftValidator(inUse).ValidateAsync(draft, ct);
        return [.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))];
    }

    private static async Task<FieldError?> MembersProblemAsync(CertificationsDbContext db, int id, IReadOnlyCollection<int> add, IReadOnlyCollection<int> remove, CancellationToken ct)
    {
        if (!await db.Groups.AnyAsync(g => g.Id == id, ct))
        {
            return new FieldError("", "This group no longer exists. Go back to the list of groups.");
        }

        if (add.Count + remove.Count > MaxMembersPerChange)
        {
            return new FieldError("Members", $"Add or remove at most {MaxMembersPerChange} learners at a time.");
        }

        if (add.Intersect(remove).Any())
        {
            return new FieldError("Members", "A learner cannot be added and removed at the same time.");
        }

        var ids = add.Distinct().ToList();
        var found = await db.Learners.CountAsync(l => ids.Contains(l.Id), ct);
        return found == ids.Count ? null : new FieldError("Members", "A learner you chose no longer exists. Search again.");
    }

    /// <summary>The memberships the change really adds and removes: adding a member or removing a non-member changes nothing.</summary>
    private static async Task<(List<Membership> Joining, List<Membership> Leaving)> ActualChangesAsync(
        CertificationsDbContext db, int id, IReadOnlyCollection<int> add, IReadOnlyCollection<int> remove, CancellationToken ct)
    {
        var asked = add.Concat(remove).Distinct().ToList();
        var current = (await db.GroupMembers.Where(m => m.GroupId == id && asked.Contains(m.LearnerId)).Select(m => m.LearnerId).ToListAsync(ct)).ToHashSet();
        return (
            [.. add.Distinct().Where(l => !current.Contains(l)).Select(l => new Membership(id, l))],
            [.. remove.Distinct().Where(current.Contains).Select(l => new Membership(id, l))]);
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
