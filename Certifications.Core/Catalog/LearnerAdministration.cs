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

/// <summary>A learner offered by a search: as manager, or as a new member of a group.</summary>
public sealed record LearnerOption(int Id, string Name, string Email);

/// <summary>A group offered by a search, or one of a learner's groups.</summary>
public sealed record GroupChoice(int Id, string Name, int MemberCount);

/// <summary>A learner as the profile editor opens it.</summary>
public sealed record LearnerForEdit(LearnerDraft Draft, LearnerOption? Manager, IReadOnlyList<GroupChoice> Groups);

/// <summary>
/// Creates and edits learners: name, email (unique whatever its case), manager (never themselves, never a loop in the
/// reporting line) and groups. Validated, audited, one transaction per save, refused when another admin saved first.
/// Joining and leaving groups assigns and withdraws certifications by the enrolment rules in the same transaction;
/// <see cref="PreviewAsync"/> says what a save would do before it is made.
/// </summary>
public sealed class LearnerAdministration(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events,
    ILogger<LearnerAdministration> logger)
{
    public const int MaxPageSize = 50;

    internal const string EntityType = "Learner";
    private const string What = "editing learners";

    /// <summary>How far up a reporting line is followed; deeper lines are bad data, and stop the walk rather than loop.</summary>
    private const int MaxReportingDepth = 100;

    private readonly CatalogFollowUp followUp = new(recompute, events, logger);

    public async Task<LearnerForEdit?> GetForEditAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await guard.RequireAdminOrApiClientAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var learner = await db.Learners.AsNoTracking().Where(l => l.Id == id)
            .Select(l => new
            {
                l.Id,
                l.Version,
                l.Name,
                l.Email,
                l.ManagerId,
                Manager = l.Manager == null ? null : new LearnerOption(l.Manager.Id, l.Manager.Name, l.Manager.Email),
                Groups = l.Groups.OrderBy(m => m.Group!.Name).Select(m => new GroupChoice(m.GroupId, m.Group!.Name, m.Group.Members.Count)).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (learner is null)
        {
            return null;
        }

        var draft = new LearnerDraft
        {
            Id = learner.Id,
            Version = learner.Version,
            Name = learner.Name,
            Email = learner.Email,
            ManagerId = learner.ManagerId,
            GroupIds = [.. learner.Groups.Select(g => g.Id)],
        };
        return new LearnerForEdit(draft, learner.Manager, learner.Groups);
    }

    /// <summary>The id of the learner with this email, compared without case or surrounding spaces; null when there is none.</summary>
    public async Task<int?> FindByEmailAsync(Actor actor, string email, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        await guard.RequireAdminOrApiClientAsync(actor, "the catalog", ct);
        var normalized = LearnerDraft.NormalizeEmail(email);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Learners.AsNoTracking().Where(l => l.NormalizedEmail == normalized).Select(l => (int?)l.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>Learners whose name or email contains the text, one page at a time, in name order.</summary>
    public async Task<Page<LearnerOption>> SearchAsync(Actor actor, string? text, int page = 0, int pageSize = 20, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var learners = db.Learners.AsNoTracking();
        if (SearchPattern.Contains(text) is { } pattern)
        {
            learners = learners.Where(l => SearchPattern.Matches(l.Name, pattern) || SearchPattern.Matches(l.Email, pattern));
        }

        return await learners.OrderBy(l => l.Name).ThenBy(l => l.Id).ToPageAsync(page, pageSize, MaxPageSize, l => new LearnerOption(l.Id, l.Name, l.Email), ct);
    }

    /// <summary>Groups whose name contains the text, in name order.</summary>
    public async Task<IReadOnlyList<GroupChoice>> SearchGroupsAsync(Actor actor, string? text, int take = 20, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var groups = db.Groups.AsNoTracking();
        if (SearchPattern.Contains(text) is { } pattern)
        {
            groups = groups.Where(g => SearchPattern.Matches(g.Name, pattern));
        }

        return await groups.OrderBy(g => g.Name).Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(g => new GroupChoice(g.Id, g.Name, g.Members.Count)).ToListAsync(ct);
    }

    /// <summary>What saving the draft would do to certifications (joining and leaving groups), and why it would be refused.</summary>
    public async Task<ChangeImpact> PreviewAsync(Actor actor, LearnerDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (draft.Id is { } id && !await db.Learners.AnyAsync(l => l.Id == id, ct))
        {
            return new ChangeImpact([], [NotFoundError]);
        }

        if (await ValidateAsync(db, draft, ct) is { Count: > 0 } errors)
        {
            return new ChangeImpact([], errors);
        }

        // A learner not saved yet previews as id 0: no memberships, no assignments, the name typed.
        var learnerId = draft.Id ?? 0;
        var (joining, leaving) = await GroupChangesAsync(db, learnerId, draft.GroupIds, ct);
        var notes = await MembershipChanges.PreviewAsync(db, joining, leaving, draft.Id is null ? new Dictionary<int, string> { [0] = draft.Name.Trim() } : null, ct);
        return new ChangeImpact(notes, []);
    }

    public async Task<CatalogOutcome> CreateAsync(Actor actor, LearnerDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminOrApiClientAsync(actor, "creating learners", ct);
        if (draft.Id is not null)
        {
            return CatalogOutcome.Fail(FailureKind.Invalid, "This learner is already saved: open their profile to edit it.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await ValidateAsync(db, draft, ct) is { Count: > 0 } errors)
        {
            return CatalogOutcome.Invalid(errors);
        }

        var now = Now();
        var learner = new Learner { Name = draft.Name.Trim(), Email = draft.Email.Trim(), NormalizedEmail = LearnerDraft.NormalizeEmail(draft.Email), ManagerId = draft.ManagerId };
        db.Learners.Add(learner);
        if (await TrySaveAsync(db, draft, ct) is { } collision)
        {
            return collision;
        }

        var groupIds = draft.GroupIds.Distinct().ToList();
        db.GroupMembers.AddRange(groupIds.Select(g => new GroupMember { GroupId = g, LearnerId = learner.Id, JoinedAt = now }));
        var described = await DescribeAsync(db, learner.Name, learner.Email, learner.ManagerId, groupIds, ct);
        AuditTrail.Record(db, now, actor.Name, EntityType, learner.Id, "Created", described);
        await RecordGroupChangesAsync(db, actor, now, learner, groupIds, [], ct);
        await db.SaveChangesAsync(ct);
        var enrolment = await EnrollmentSync.MembershipChangedAsync(db, groupIds, now, ct);
        await transaction.CommitAsync(ct);
        await followUp.AnnounceEnrolmentAsync(enrolment, ct);
        return CatalogOutcome.Saved(learner.Id, learner.Version);
    }

    public async Task<CatalogOutcome> UpdateAsync(Actor actor, LearnerDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminOrApiClientAsync(actor, What, ct);
        if (draft.Id is not { } id)
        {
            return CatalogOutcome.Fail(FailureKind.NotFound, "This learner has not been saved yet.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var next = Guid.NewGuid();
        if (await CatalogVersions.ClaimLearnerAsync(db, id, draft.Version ?? Guid.Empty, next, ct) == 0)
        {
            return await db.Learners.AnyAsync(l => l.Id == id, ct)
                ? await CatalogVersions.ConflictAsync(db, EntityType, id, "This learner", ct)
                : CatalogOutcome.NotFound(NotFoundError);
        }

        if (await ValidateAsync(db, draft, ct) is { Count: > 0 } errors)
        {
            return CatalogOutcome.Invalid(errors);
        }

        var learner = await db.Learners.SingleAsync(l => l.Id == id, ct);
        var (joining, leaving) = await GroupChangesAsync(db, id, draft.GroupIds, ct);
        var currentGroups = await db.GroupMembers.Where(m => m.LearnerId == id).Select(m => m.GroupId).ToListAsync(ct);
        var before = await DescribeAsync(db, learner.Name, learner.Email, learner.ManagerId, currentGroups, ct);
        var after = await DescribeAsync(db, draft.Name.Trim(), draft.Email.Trim(), draft.ManagerId, draft.GroupIds.Distinct().ToList(), ct);
        var changes = CourseAdministration.Diff(before, after);
        if (changes.Count == 0)
        {
            return CatalogOutcome.Saved(id, draft.Version!.Value);
        }

        var now = Now();
        learner.Name = draft.Name.Trim();
        learner.Email = draft.Email.Trim();
        learner.NormalizedEmail = LearnerDraft.NormalizeEmail(draft.Email);
        learner.ManagerId = draft.ManagerId;
        var leavingIds = leaving.Select(m => m.GroupId).ToList();
        AuditTrail.Record(db, now, actor.Name, EntityType, id, "Updated", changes);
        await RecordGroupChangesAsync(db, actor, now, learner, [.. joining.Select(m => m.GroupId)], leavingIds, ct);
        await db.GroupMembers.Where(m => m.LearnerId == id && leavingIds.Contains(m.GroupId)).ExecuteDeleteAsync(ct);
        db.GroupMembers.AddRange(joining.Select(m => new GroupMember { GroupId = m.GroupId, LearnerId = id, JoinedAt = now }));
        if (await TrySaveAsync(db, draft, ct) is { } collision)
        {
            return collision;
        }

        var changedGroups = joining.Concat(leaving).Select(m => m.GroupId).ToList();
        await CatalogVersions.RenewAsync(db, changedGroups, [], ct);
        var enrolment = await EnrollmentSync.MembershipChangedAsync(db, changedGroups, now, ct);
        await transaction.CommitAsync(ct);
        await followUp.AnnounceEnrolmentAsync(enrolment, ct);
        return CatalogOutcome.Saved(id, next);
    }

    /// <summary>The learner's audit trail, newest first.</summary>
    public async Task<IReadOnlyList<CatalogChange>> HistoryAsync(Actor actor, int id, int take = 100, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the audit trail", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await CatalogVersions.TrailAsync(db, EntityType, id, take, ct);
    }

    private static FieldError NotFoundError => new("", "This learner no longer exists. Go back to the list of learners.");

    private static async Task<List<FieldError>> ValidateAsync(CertificationsDbContext db, LearnerDraft draft, CancellationToken ct)
    {
        var normalized = LearnerDraft.NormalizeEmail(draft.Email ?? "");
        var id = draft.Id;
        var emailInUse = normalized.Length > 0 && await db.Learners.AnyAsync(l => l.NormalizedEmail == normalized && l.Id != id, ct);
        var chain = draft.ManagerId is { } managerId ? await ChainAboveAsync(db, managerId, ct) : [];
        var groupIds = draft.GroupIds.Distinct().ToList();
        var existing = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
        var facts = new LearnerFacts(emailInUse, chain, draft.ManagerId is null || chain.Count > 0, [.. groupIds.Except(existing)]);
        var result = await new LearnerDraftValidator(facts).ValidateAsync(draft, ct);
        return [.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))];
    }

    /// <summary>The manager, then their manager, and so on: one query per level, stopping at a repeat.</summary>
    private static async Task<List<ReportingLink>> ChainAboveAsync(CertificationsDbContext db, int managerId, CancellationToken ct)
    {
        var chain = new List<ReportingLink>();
        int? next = managerId;
        while (next is { } id && chain.Count < MaxReportingDepth && chain.TrueForAll(l => l.Id != id))
        {
            var link = await db.Learners.AsNoTracking().Where(l => l.Id == id).Select(l => new { l.Id, l.Name, l.ManagerId }).SingleOrDefaultAsync(ct);
            if (link is null)
            {
                break;
            }

            chain.Add(new ReportingLink(link.Id, link.Name));
            next = link.ManagerId;
        }

        return chain;
    }

    private static async Task<(List<Membership> Joining, List<Membership> Leaving)> GroupChangesAsync(CertificationsDbContext db, int learnerId, List<int> groupIds, CancellationToken ct)
    {
        var current = (await db.GroupMembers.Where(m => m.LearnerId == learnerId).Select(m => m.GroupId).ToListAsync(ct)).ToHashSet();
        var wanted = groupIds.ToHashSet();
        return (
            [.. wanted.Where(g => !current.Contains(g)).Select(g => new Membership(g, learnerId))],
            [.. current.Where(g => !wanted.Contains(g)).Select(g => new Membership(g, learnerId))]);
    }

    private static async Task<Dictionary<string, object?>> DescribeAsync(CertificationsDbContext db, string name, string email, int? managerId, List<int> groupIds, CancellationToken ct)
    {
        var manager = managerId is { } id ? await db.Learners.AsNoTracking().Where(l => l.Id == id).Select(l => l.Name + " <" + l.Email + ">").SingleOrDefaultAsync(ct) : null;
        var groups = await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).Select(g => g.Name).ToListAsync(ct);
        return new()
        {
            ["Name"] = name,
            ["Email"] = email,
            ["Manager"] = manager,
            ["Groups"] = string.Join(", ", groups.Order(StringComparer.Ordinal)),
        };
    }

    /// <summary>Each group the learner joins or leaves records it in its own trail too.</summary>
    private static async Task RecordGroupChangesAsync(CertificationsDbContext db, Actor actor, DateTime now, Learner learner, List<int> joined, List<int> left, CancellationToken ct)
    {
        var ids = joined.Concat(left).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var groups = await db.Groups.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, Members = g.Members.Count }).ToDictionaryAsync(g => g.Id, g => g.Members, ct);
        var person = $"{learner.Name} <{learner.Email}>";
        foreach (var id in joined)
        {
            AuditTrail.Record(db, now, actor.Name, "Group", id, "MembersChanged", new { Added = new[] { person }, Removed = Array.Empty<string>(), Members = new { From = groups[id], To = groups[id] + 1 } });
        }

        foreach (var id in left)
        {
            AuditTrail.Record(db, now, actor.Name, "Group", id, "MembersChanged", new { Added = Array.Empty<string>(), Removed = new[] { person }, Members = new { From = groups[id], To = groups[id] - 1 } });
        }
    }

    /// <summary>Saves; two admins giving the same email at the same moment meet the unique index, which decides.</summary>
    private static async Task<CatalogOutcome?> TrySaveAsync(CertificationsDbContext db, LearnerDraft draft, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException ex) when (ex.InnerException?.Message.Contains(nameof(Learner.NormalizedEmail), StringComparison.Ordinal) == true)
        {
            db.ChangeTracker.Clear();
            return CatalogOutcome.Invalid([new FieldError(nameof(LearnerDraft.Email), $"Another learner already has the email {draft.Email.Trim()}.")]);
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
