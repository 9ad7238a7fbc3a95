using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Catalog;

/// <summary>A certification that includes a course, and how many learners hold it now.</summary>
public sealed record IncludingCertification(int Id, string Name, CertificationState State, int Holders);

/// <summary>A course as its editor opens it, with the certifications that include it.</summary>
public sealed record CourseForEdit(CourseDraft Draft, IReadOnlyList<IncludingCertification> Certifications, int GroupCount);

/// <summary>
/// Creates and edits courses and their steps: validated, audited, one transaction per save, refused when another admin
/// saved first. Changes that touch certifications are described by <see cref="PreviewAsync"/> before they are made.
/// </summary>
public sealed class CourseAdministration(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events,
    ILogger<CourseAdministration> logger)
{
    private const string EntityType = "Course";
    private const string ThisCourse = "This course";

    private readonly CatalogFollowUp followUp = new(recompute, events, logger);

    /// <summary>The id of the course with this title, compared as titles are kept unique: without case or surrounding spaces.</summary>
    public async Task<int?> FindByTitleAsync(Actor actor, string title, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(title);
        await guard.RequireAdminOrApiClientAsync(actor, "the catalog", ct);
        var normalized = CourseDraft.NormalizeTitle(title);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Courses.AsNoTracking().Where(c => c.Title.ToUpper() == normalized).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<CourseForEdit?> GetForEditAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await guard.RequireAdminOrApiClientAsync(actor, "editing courses", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().Include(c => c.Steps).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (course is null)
        {
            return null;
        }

        var counts = await ResultCountsAsync(db, id, ct);
        var certifications = await db.CertificationCourses.AsNoTracking()
            .Where(cc => cc.CourseId == id && cc.Certification!.State != CertificationState.Deleted)
            .OrderBy(cc => cc.Certification!.Name)
            .Select(cc => new IncludingCertification(
                cc.CertificationId,
                cc.Certification!.Name,
                cc.Certification.State,
                db.Assignments.Count(a => a.CertificationId == cc.CertificationId && a.WithdrawnAt == null)))
            .ToListAsync(ct);
        var groups = await db.GroupCourses.CountAsync(gc => gc.CourseId == id, ct);
        return new CourseForEdit(CourseDraft.From(course, counts), certifications, groups);
    }

    public async Task<CatalogOutcome> CreateAsync(Actor actor, CourseDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminOrApiClientAsync(actor, "creating courses", ct);
        if (draft.Id is not null || draft.Steps.Any(s => s.Id is not null))
        {
            return CatalogOutcome.Fail(FailureKind.Invalid, "This course is already saved: open it to edit it.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var errors = await ValidateAsync(db, draft, ct);
        if (errors.Count > 0)
        {
            return CatalogOutcome.Invalid(errors);
        }

        var course = new Course { Title = draft.Title.Trim() };
        Apply(db, draft, course);
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record(db, Now(), actor.Name, EntityType, course.Id, "Created", Describe(draft));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return CatalogOutcome.Saved(course.Id, course.Version);
    }

    /// <summary>
    /// What saving this draft would do to certifications and their learners, and why it would be refused; nothing is
    /// changed. The editor shows it for confirmation before calling <see cref="UpdateAsync"/>.
    /// </summary>
    public async Task<ChangeImpact> PreviewAsync(Actor actor, CourseDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminAsync(actor, "editing courses", ct);
        if (draft.Id is not { } id)
        {
            return ChangeImpact.None;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var stored = await db.Courses.AsNoTracking().Include(c => c.Steps).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (stored is null)
        {
            return new ChangeImpact([], [NotFoundError]);
        }

        var errors = await ValidateAsync(db, draft, ct);
        if (errors.Count > 0)
        {
            return new ChangeImpact([], errors);
        }

        var notes = new List<ImpactNote>();
        var published = await db.CertificationCourses.AsNoTracking()
            .Where(cc => cc.CourseId == id && cc.Certification!.State == CertificationState.Published)
            .OrderBy(cc => cc.Certification!.Name)
            .Select(cc => new { cc.CertificationId, cc.Certification!.Name })
            .ToListAsync(ct);
        if (published.Count == 0)
        {
            return ChangeImpact.None;
        }

        var names = published.Select(p => p.Name).ToList();
        var ids = published.Select(p => p.CertificationId).ToList();
        var holders = await db.Assignments.Where(a => ids.Contains(a.CertificationId) && a.WithdrawnAt == null)
            .Select(a => a.LearnerId).Distinct().CountAsync(ct);
        var holding = $"{CatalogVersions.Count(holders, "learner")} {(holders == 1 ? "holds" : "hold")} {(names.Count == 1 ? "it" : "them")}";
        if (stored.IsPublished && !draft.IsPublished)
        {
            notes.Add(new ImpactNote(
                ImpactKind.CourseUnpublished,
                $"Unpublishing \u201c{stored.Title}\u201d affects {CatalogVersions.Count(names.Count, "published certification")}: {CatalogVersions.Quoted(names)}; {holding}.",
                "Learners can no longer take the course. The certifications keep it until an admin edits them, and cannot be saved or published again "
                + "until it is published again or removed from them; learners keep the progress they have.",
                names,
                holders));
        }

        var (lost, gained) = GradingChanges(stored, draft);
        if (lost.Count > 0)
        {
            notes.Add(new ImpactNote(
                ImpactKind.GradingChanged,
                $"Results on {CatalogVersions.Quoted(lost)} stop counting toward {CatalogVersions.Quoted(names)}; {holding}.",
                "Their progress is recomputed when you save, from the graded steps left. Periods already completed stay completed.",
                names,
                holders));
        }

        if (gained.Count > 0)
        {
            notes.Add(new ImpactNote(
                ImpactKind.GradingChanged,
                $"Learners of {CatalogVersions.Quoted(names)} must also pass {CatalogVersions.Quoted(gained)} to satisfy this course; {holding}.",
                "Their progress is recomputed when you save: learners who had satisfied the course without it go back to in progress. Periods already completed stay completed.",
                names,
                holders));
        }

        return new ChangeImpact(notes, []);
    }

    public async Task<CatalogOutcome> UpdateAsync(Actor actor, CourseDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminOrApiClientAsync(actor, "editing courses", ct);
        if (draft.Id is not { } id)
        {
            return CatalogOutcome.Fail(FailureKind.NotFound, "This course has not been saved yet.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var next = Guid.NewGuid();
        if (await CatalogVersions.ClaimCourseAsync(db, id, draft.Version ?? Guid.Empty, next, ct) == 0)
        {
            return await db.Courses.AnyAsync(c => c.Id == id, ct)
                ? await CatalogVersions.ConflictAsync(db, EntityType, id, ThisCourse, ct)
                : CatalogOutcome.NotFound(NotFoundError);
        }

        var errors = await ValidateAsync(db, draft, ct);
        if (errors.Count > 0)
        {
            return CatalogOutcome.Invalid(errors);
        }

        var course = await db.Courses.Include(c => c.Steps).SingleAsync(c => c.Id == id, ct);
        var before = CourseDraft.From(course);
        var (lost, gained) = GradingChanges(course, draft);
        Apply(db, draft, course);
        var changes = Diff(Describe(before), Describe(CourseDraft.From(course)));
        if (changes.Count == 0)
        {
            // Nothing to save: the claim is rolled back with the transaction and the editor's version stays valid.
            return CatalogOutcome.Saved(id, draft.Version!.Value);
        }

        course.Version = next;
        AuditTrail.Record(db, Now(), actor.Name, EntityType, id, "Updated", changes);
        await db.SaveChangesAsync(ct);
        var including = await db.CertificationCourses.AsNoTracking()
            .Where(cc => cc.CourseId == id && cc.Certification!.State != CertificationState.Deleted)
            .Select(cc => cc.CertificationId)
            .ToListAsync(ct);
        await transaction.CommitAsync(ct);

        if (lost.Count > 0 || gained.Count > 0)
        {
            await followUp.RecomputeAsync(including, learnerIds: null, ct);
        }

        if (lost.Count > 0 || gained.Count > 0 || before.IsPublished != course.IsPublished || before.Title != course.Title)
        {
            await followUp.AnnounceAsync(including);
        }

        return CatalogOutcome.Saved(id, next);
    }

    /// <summary>The course's audit trail, newest first.</summary>
    public async Task<IReadOnlyList<CatalogChange>> HistoryAsync(Actor actor, int id, int take = 100, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the audit trail", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await CatalogVersions.TrailAsync(db, EntityType, id, take, ct);
    }

    private static FieldError NotFoundError => new("", "This course no longer exists. Go back to the list of courses.");

    private static async Task<List<FieldError>> ValidateAsync(CertificationsDbContext db, CourseDraft draft, CancellationToken ct)
    {
        var normalized = CourseDraft.NormalizeTitle(draft.Title ?? "");
        var id = draft.Id;
        var titleInUse = normalized.Length > 0 && await db.Courses.AnyAsync(c => c.Title.ToUpper() == normalized && c.Id != id, ct);
        var includedIn = id is null
            ? []
            : await db.CertificationCourses.AsNoTracking()
                .Where(cc => cc.CourseId == id && cc.Certification!.State != CertificationState.Deleted)
                .OrderBy(cc => cc.Certification!.Name)
                .Select(cc => cc.Certification!.Name)
                .ToListAsync(ct);
        var steps = new Dictionary<int, StoredStep>();
        if (id is { } courseId)
        {
            var counts = await ResultCountsAsync(db, courseId, ct);
            steps = await db.Steps.AsNoTracking().Where(s => s.CourseId == courseId)
                .ToDictionaryAsync(s => s.Id, s => new StoredStep(s.Id, s.Title, s.IsGraded, counts.GetValueOrDefault(s.Id)), ct);
        }

        ValidationResult result = await new CourseDraftValidator(new CourseFacts(titleInUse, includedIn, steps)).ValidateAsync(draft, ct);
        return [.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))];
    }

    private static Task<Dictionary<int, int>> ResultCountsAsync(CertificationsDbContext db, int courseId, CancellationToken ct) =>
        db.StepResults.AsNoTracking()
            .Where(r => r.Step!.CourseId == courseId)
            .GroupBy(r => r.StepId)
            .Select(g => new { StepId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.StepId, g => g.Count, ct);

    /// <summary>Titles of the graded steps that stop counting (removed or made ungraded) and of those that start to.</summary>
    private static (List<string> Lost, List<string> Gained) GradingChanges(Course stored, CourseDraft draft)
    {
        var kept = draft.Steps.Where(s => s.Id is not null).ToDictionary(s => s.Id!.Value);
        var lost = stored.Steps.OrderBy(s => s.Position)
            .Where(s => s.IsGraded && (!kept.TryGetValue(s.Id, out var step) || !step.IsGraded))
            .Select(s => s.Title)
            .ToList();
        var gained = draft.Steps
            .Where(s => s.IsGraded && (s.Id is not { } stepId || stored.Steps.Find(x => x.Id == stepId) is not { IsGraded: true }))
            .Select(s => s.Title.Trim())
            .ToList();
        return (lost, gained);
    }

    /// <summary>Brings the course in line with the draft: details, then steps removed, updated, added and renumbered.</summary>
    private static void Apply(CertificationsDbContext db, CourseDraft draft, Course course)
    {
        course.Title = draft.Title.Trim();
        course.IsPublished = draft.IsPublished;
        course.IsTrigger = draft.IsTrigger;
        var kept = draft.Steps.Where(s => s.Id is not null).Select(s => s.Id!.Value).ToHashSet();
        foreach (var removed in course.Steps.Where(s => !kept.Contains(s.Id)).ToList())
        {
            course.Steps.Remove(removed);
            db.Steps.Remove(removed);
        }

        for (var i = 0; i < draft.Steps.Count; i++)
        {
            var edit = draft.Steps[i];
            var step = edit.Id is { } stepId ? course.Steps.Single(s => s.Id == stepId) : null;
            if (step is null)
            {
                step = new Step { Title = "" };
                course.Steps.Add(step);
            }

            step.Title = edit.Title.Trim();
            step.IsGraded = edit.IsGraded;
            step.Position = i + 1;
        }
    }

    private static Dictionary<string, object?> Describe(CourseDraft d) => new()
    {
        [nameof(d.Title)] = d.Title.Trim(),
        [nameof(d.IsPublished)] = d.IsPublished,
        [nameof(d.IsTrigger)] = d.IsTrigger,
        [nameof(d.Steps)] = string.Join(" | ", d.Steps.Select(s => s.Title.Trim() + (s.IsGraded ? " (graded)" : ""))),
    };

    /// <summary>Field-by-field changes, as { field: { from, to } }, for the audit trail.</summary>
    internal static Dictionary<string, object> Diff(Dictionary<string, object?> before, Dictionary<string, object?> after)
    {
        var changes = new Dictionary<string, object>();
        foreach (var (field, value) in after)
        {
            if (!Equals(before.GetValueOrDefault(field), value))
            {
                changes[field] = new { From = before.GetValueOrDefault(field), To = value };
            }
        }

        return changes;
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
