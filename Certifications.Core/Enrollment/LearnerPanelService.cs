using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Enrollment;

/// <summary>
/// A learner's certifications as their profile panel shows them, as the rules see them now. Loaded set-based: a fixed
/// handful of queries for one learner, whatever the number of certifications they hold.
/// </summary>
public sealed class LearnerPanelService(
    IDbContextFactory<CertificationsDbContext> factory,
    AccessGuard guard,
    TimeProvider time,
    OrganisationCalendar calendar)
{
    /// <summary>
    /// The learner's current assignments, every completion they keep (even of retired or deleted certifications, with the
    /// name and dates they had) and the certifications open to everyone they could start. Invisible certifications are
    /// shown to admins and managers, marked, and never to the learner themselves.
    /// </summary>
    public async Task<LearnerPanel?> GetPanelAsync(Actor actor, int learnerId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireLearnerAccessAsync(actor, learnerId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var learner = await db.Learners.AsNoTracking()
            .Where(l => l.Id == learnerId)
            .Select(l => new { l.Id, l.Name, l.Email, ManagerName = l.Manager == null ? null : l.Manager.Name })
            .SingleOrDefaultAsync(ct);
        if (learner is null)
        {
            return null;
        }

        var isOwnPanel = actor.LearnerId == learnerId;
        var held = await HeldAsync(db, learnerId, showInvisible: !isOwnPanel, ct);
        var offered = held.Where(a => a.State == CertificationState.Published).ToList();
        var terms = await ProgressRecompute.LoadTermsAsync(db, [.. offered.Select(a => a.CertificationId)], ct);
        var results = await ResultsAsync(db, learnerId, offered, terms, ct);
        var courseTitles = await CourseTitlesAsync(db, held, terms, ct);
        var completions = await CompletionFacts.LoadAsync(db, offered.Select(a => (a.AssignmentId, learnerId, a.CertificationId)), ct);
        var (corrections, evidence) = await CorrectionLinesAsync(db, learnerId, ct);
        var mayReadEvidence = actor.IsAdmin || isOwnPanel;

        var certifications = offered
            .Where(a => terms.ContainsKey(a.CertificationId))
            .Select(a => Current(a, terms[a.CertificationId], results, [.. completions[a.AssignmentId]], courseTitles, now) with
            {
                Corrections = [.. corrections[a.CertificationId], .. AssignmentLines(a.Facts), .. (a.DueDateLine is { } due ? new[] { due } : [])],
                Evidence = mayReadEvidence ? [.. evidence[a.CertificationId]] : [],
            })
            .ToList();
        var noLongerOffered = held
            .Where(a => a.State is CertificationState.Retired or CertificationState.Deleted)
            .Select(a => new PanelRetiredCompletion(
                a.CertificationId, a.Name, a.IsInvisible, a.State, DateOf(a.NoLongerOfferedSince), History(a.Periods, courseTitles, now)))
            .ToList();
        var available = await AvailableAsync(db, learnerId, calendar.DateOf(now), ct);
        return new LearnerPanel(learner.Id, learner.Name, learner.Email, learner.ManagerName, isOwnPanel, certifications, noLongerOffered, available);
    }

    /// <summary>
    /// Assignments the panel shows: open ones of published certifications, and any with a completion, whatever has
    /// happened to the certification since.
    /// </summary>
    private static async Task<List<HeldAssignment>> HeldAsync(CertificationsDbContext db, int learnerId, bool showInvisible, CancellationToken ct)
    {
        var rows = await db.Assignments.AsNoTracking()
            .Where(a => a.LearnerId == learnerId)
            .Where(a => showInvisible || !a.Certification!.IsInvisible)
            .Where(a => (a.WithdrawnAt == null && a.Certification!.State == CertificationState.Published)
                || a.Periods.Any(p => p.CompletedAt != null))
            .OrderBy(a => a.Certification!.Name)
            .Select(a => new
            {
                a.Id,
                a.CertificationId,
                a.Certification!.Name,
                a.Certification.Description,
                a.Certification.IsInvisible,
                a.Certification.State,
                NoLongerOfferedSince = a.Certification.RetiredAt ?? a.Certification.DeletedAt,
                a.AssignedAt,
                a.GraceDays,
                a.WithdrawnAt,
                a.DueDateOverride,
                a.DueDateReason,
                a.DueDateSetBy,
                a.ExemptSince,
                a.ExemptUntil,
                a.ExemptReason,
                a.ExemptBy,
                Periods = a.Periods.Where(p => p.CompletedAt != null)
                    .OrderBy(p => p.Number)
                    .Select(p => new
                    {
                        p.Number,
                        p.WindowStart,
                        p.CompletedAt,
                        p.ExpiresAt,
                        p.ChainStart,
                        p.ChainIndex,
                        p.Source,
                        p.CompletionRecordId,
                        Grades = p.CourseGrades.Select(g => new { g.CourseId, g.Grade }).ToList(),
                    })
                    .ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        return
        [
            .. rows.Select(a => new HeldAssignment(
                a.Id,
                a.CertificationId,
                a.Name,
                a.Description,
                a.IsInvisible,
                a.State,
                a.NoLongerOfferedSince,
                new AssignmentFacts(a.AssignedAt, a.GraceDays, a.WithdrawnAt)
                {
                    DueDate = a.DueDateOverride,
                    Exemption = a.ExemptSince is { } since ? new Exemption(since, a.ExemptUntil, a.ExemptReason ?? "", a.ExemptBy ?? "") : null,
                },
                a.DueDateOverride is null ? null : $"Due date {ProgressText.Date(a.DueDateOverride.Value)} set for this learner by {a.DueDateSetBy}: {a.DueDateReason}",
                [
                    .. a.Periods.Select(p => new ComputedPeriod(
                        p.Number, p.WindowStart, p.CompletedAt, p.ExpiresAt, p.ChainStart, p.ChainIndex, p.Grades.ToDictionary(g => g.CourseId, g => g.Grade))
                    {
                        Source = p.Source,
                        CompletionRecordId = p.CompletionRecordId,
                    }),
                ])),
        ];
    }

    /// <summary>
    /// The learner's results on the steps of the offered certifications, those from before the counting windows too: the
    /// panel explains why they do not count (the learner who passed a course days before being assigned sees that result,
    /// and that it came before the window).
    /// </summary>
    private static async Task<ILookup<int, ResultFact>> ResultsAsync(
        CertificationsDbContext db,
        int learnerId,
        List<HeldAssignment> offered,
        IReadOnlyDictionary<int, CertificationTerms> terms,
        CancellationToken ct)
    {
        if (!offered.Any(a => terms.ContainsKey(a.CertificationId)))
        {
            return Array.Empty<ResultFact>().ToLookup(r => r.StepId);
        }

        var stepIds = terms.Values.SelectMany(t => t.Courses).SelectMany(c => c.Steps).Select(s => s.StepId).Distinct().ToList();
        var results = await db.StepResults.AsNoTracking()
            .Where(r => r.LearnerId == learnerId && stepIds.Contains(r.StepId))
            .Select(r => new ResultFact(r.Id, r.StepId, r.Score, r.CompletedAt))
            .ToListAsync(ct);
        return results.ToLookup(r => r.StepId);
    }

    /// <summary>
    /// Titles of every course graded in a period: those of the certifications' courses today, and of courses graded in kept
    /// periods that have since left their certification (or whose certification was retired).
    /// </summary>
    private static async Task<Dictionary<int, string>> CourseTitlesAsync(
        CertificationsDbContext db, List<HeldAssignment> held, IReadOnlyDictionary<int, CertificationTerms> terms, CancellationToken ct)
    {
        var titles = terms.Values.SelectMany(t => t.Courses).DistinctBy(c => c.CourseId).ToDictionary(c => c.CourseId, c => c.Title);
        var missing = held.SelectMany(a => a.Periods).SelectMany(p => p.CourseGrades.Keys).Where(id => !titles.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var course in await db.Courses.AsNoTracking().Where(c => missing.Contains(c.Id)).Select(c => new { c.Id, c.Title }).ToListAsync(ct))
            {
                titles[course.Id] = course.Title;
            }
        }

        return titles;
    }

    /// <summary>Published, visible certifications without target groups that the learner does not hold (a withdrawal without completion does not count).</summary>
    private static async Task<List<PanelAvailableCertification>> AvailableAsync(CertificationsDbContext db, int learnerId, DateOnly today, CancellationToken ct) =>
        await db.Certifications.AsNoTracking()
            .Where(c => c.State == CertificationState.Published && !c.IsInvisible && !c.TargetGroups.Any())
            .Where(c => !db.Assignments.Any(a => a.CertificationId == c.Id && a.LearnerId == learnerId
                && (a.WithdrawnAt == null || a.Periods.Any(p => p.CompletedAt != null))))
            .OrderBy(c => c.Name)
            .Select(c => new PanelAvailableCertification(
                c.Id,
                c.Name,
                c.Description,
                c.RenewalRequired ? c.RenewalPeriodMonths : null,
                c.EffectiveFrom > today ? c.EffectiveFrom : null,
                c.RenewalRequired ? null : c.DueDate,
                c.MinimumPassingGrade,
                c.Courses.OrderBy(cc => cc.Position).Select(cc => cc.Course!.Title).ToList()))
            .ToListAsync(ct);

    private PanelCertification Current(
        HeldAssignment assignment,
        CertificationTerms terms,
        ILookup<int, ResultFact> results,
        IReadOnlyList<CompletionFact> completions,
        Dictionary<int, string> courseTitles,
        DateTime now)
    {
        var steps = terms.Courses.SelectMany(c => c.Steps).Select(s => s.StepId).Distinct();
        var standing = AssignmentRules.Evaluate(
            terms,
            assignment.Facts,
            steps.SelectMany(s => results[s]),
            now,
            calendar,
            assignment.Periods,
            completions);
        var lastCompleted = standing.Periods.LastOrDefault(p => p.CompletedAt is not null);
        var stepTitles = terms.Courses.SelectMany(c => c.Steps).DistinctBy(s => s.StepId).ToDictionary(s => s.StepId, s => s.Title);
        return new PanelCertification(
            assignment.AssignmentId,
            assignment.CertificationId,
            assignment.Name,
            assignment.Description,
            assignment.IsInvisible,
            standing.Status,
            standing.Summary,
            standing.CoursesSatisfied,
            standing.CoursesRequired,
            terms.MinimumPassingGrade,
            terms.Renewal?.PeriodMonths,
            terms.EffectiveFrom,
            calendar.DateOf(standing.Current.WindowStart),
            AssignmentRules.DueDateOf(terms, assignment.Facts),
            DateOf(lastCompleted?.CompletedAt),
            DateOf(standing.ExpiresAt),
            DateOf(standing.WindowOpensAt),
            DateOf(assignment.WithdrawnAt is { } w && w <= now ? w : null),
            [.. standing.Current.Courses.Select(c => Course(c, stepTitles))],
            History(standing.Periods, courseTitles, now));
    }

    /// <summary>The course as the rules evaluated it, with every result on its steps explained, latest first.</summary>
    private PanelCourse Course(CourseEvaluation course, Dictionary<int, string> stepTitles) => new(
        course.CourseId,
        course.Title,
        course.Grade,
        course.MinimumPassingGrade,
        course.IsSatisfied,
        course.GradedSteps,
        course.GradedStepsWithResult,
        course.Verdict,
        course.Reason,
        [
            .. course.Results
                .OrderByDescending(r => r.Result.CompletedAt).ThenByDescending(r => r.Result.Id)
                .Select(r => new PanelResult(
                    r.Result.Id,
                    stepTitles.GetValueOrDefault(r.Result.StepId, $"Step #{r.Result.StepId}"),
                    r.Result.Score,
                    calendar.ToLocal(r.Result.CompletedAt),
                    r.Verdict,
                    r.Reason)),
        ]);

    /// <summary>Completed periods, latest first, each with the grades it was completed with.</summary>
    private List<PanelPeriod> History(IEnumerable<ComputedPeriod> periods, Dictionary<int, string> courseTitles, DateTime now) =>
    [
        .. periods.Where(p => p.CompletedAt is not null)
            .OrderByDescending(p => p.Number)
            .Select(p => new PanelPeriod(
                p.Number,
                calendar.DateOf(p.CompletedAt!.Value),
                DateOf(p.ExpiresAt),
                p.ExpiresAt <= now,
                [.. p.CourseGrades
                    .Select(g => new PanelPeriodGrade(courseTitles.GetValueOrDefault(g.Key, $"Course #{g.Key}"), g.Value))
                    .OrderBy(g => g.CourseTitle, StringComparer.CurrentCulture)]) { Source = p.Source }),
    ];

    private DateOnly? DateOf(DateTime? utc) => utc is { } instant ? calendar.DateOf(instant) : null;

    /// <summary>
    /// What admins recorded on the learner's certifications, by certification, for the explanation: each completion record
    /// (imported or an admin's) with its evidence, and each revocation with who and why; and the evidence files.
    /// </summary>
    private async Task<(ILookup<int, string> Lines, ILookup<int, PanelEvidence> Files)> CorrectionLinesAsync(
        CertificationsDbContext db, int learnerId, CancellationToken ct)
    {
        var records = await db.CompletionRecords.AsNoTracking()
            .Where(r => r.LearnerId == learnerId)
            .OrderBy(r => r.CompletedAt)
            .Select(r => new { r.Id, r.CertificationId, r.Source, r.CompletedAt, r.Evidence, r.EvidenceFileName, r.RecordedBy, r.RevokedAt, r.RevokedBy, r.RevokedReason })
            .ToListAsync(ct);
        var files = records
            .Where(r => r.EvidenceFileName is not null)
            .ToLookup(r => r.CertificationId, r => new PanelEvidence(r.Id, r.EvidenceFileName!));
        var lines = records.ToLookup(r => r.CertificationId, r =>
        {
            var on = ProgressText.Date(r.CompletedAt, calendar);
            var what = r.Source == CompletionSource.AdminOverride
                ? $"Completed by admin override on {on} ({r.RecordedBy}): {r.Evidence}{(r.EvidenceFileName is { } file ? $" [{file}]" : "")}"
                : $"Imported completion of {on}{(string.IsNullOrEmpty(r.Evidence) ? "" : $": {r.Evidence}")}";
            return r.RevokedAt is { } revoked ? $"{what}; revoked on {ProgressText.Date(revoked, calendar)} by {r.RevokedBy}: {r.RevokedReason}" : what;
        });
        return (lines, files);
    }

    private IEnumerable<string> AssignmentLines(AssignmentFacts facts)
    {
        if (facts.Exemption is { } exemption)
        {
            yield return $"Exempt since {ProgressText.Date(exemption.Since, calendar)}{(exemption.Until is { } until ? $" until {ProgressText.Date(until)}" : "")} by {exemption.By}: {exemption.Reason}";
        }
    }

    private sealed record HeldAssignment(
        int AssignmentId,
        int CertificationId,
        string Name,
        string? Description,
        bool IsInvisible,
        CertificationState State,
        DateTime? NoLongerOfferedSince,
        AssignmentFacts Facts,
        string? DueDateLine,
        List<ComputedPeriod> Periods)
    {
        public DateTime? WithdrawnAt => Facts.WithdrawnAt;
    }
}
