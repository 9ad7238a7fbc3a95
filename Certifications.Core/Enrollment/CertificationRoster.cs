using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Enrollment;

/// <summary>A certification as a manager watches it: the learners they manage who hold it, each as the rules see them now.</summary>
public sealed record Roster(RosterCertification Certification, IReadOnlyList<RosterRow> Rows);

/// <summary>The certification's name and terms; <paramref name="Courses"/> are its included courses, in order.</summary>
public sealed record RosterCertification(
    int CertificationId,
    string Name,
    bool IsInvisible,
    CertificationState State,
    int? RenewalPeriodMonths,
    DateOnly? DueDate,
    decimal MinimumPassingGrade,
    IReadOnlyList<RosterCourse> Courses);

public sealed record RosterCourse(int CourseId, string Title);

/// <summary>Which date a roster row shows: what is due, until when the learner is certified (or since when no longer), or when they completed.</summary>
public enum RosterDateKind
{
    Due,
    Expires,
    Expired,
    Completed,
}

/// <summary>
/// One learner holding the certification. <paramref name="Grades"/> follow the certification's courses, in order, over the
/// open period (or the last completed one when none is open), as on the learner's panel; <paramref name="Date"/> is a
/// calendar date in the organisation's zone.
/// </summary>
public sealed record RosterRow(
    int LearnerId,
    string Name,
    string Email,
    AssignmentStatus Status,
    int CoursesSatisfied,
    int CoursesRequired,
    IReadOnlyList<RosterGrade> Grades,
    RosterDateKind? DateKind,
    DateOnly? Date);

/// <summary>A course's grade against the minimum; null while no graded step has a result in the window.</summary>
public sealed record RosterGrade(int CourseId, decimal? Grade, bool IsSatisfied);

/// <summary>
/// The learners holding one certification, as a manager (their direct and indirect reports) or an admin (everyone) sees
/// them. Loaded set-based: a fixed handful of queries whatever the number of learners (the certification, its terms, the
/// assignments with their learners and kept periods, and the results on its steps), plus one per level of the manager's
/// reporting line (for a re-load of a few learners, one per level above them). Every row is evaluated by the rules the
/// learner's panel uses, so both always agree.
/// </summary>
public sealed class CertificationRoster(
    IDbContextFactory<CertificationsDbContext> factory,
    AccessGuard guard,
    TimeProvider time,
    OrganisationCalendar calendar)
{
    /// <summary>The certification and its rows, by learner name; null when there is no such certification.</summary>
    public async Task<Roster?> GetAsync(Actor actor, int certificationId, CancellationToken ct = default)
    {
        await RequireManagerOrAdminAsync(actor, certificationId, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var certification = await db.Certifications.AsNoTracking()
            .Where(c => c.Id == certificationId && c.State != CertificationState.Deleted)
            .Select(c => new { c.Name, c.IsInvisible, c.State })
            .SingleOrDefaultAsync(ct);
        var terms = certification is null ? null : await ProgressRecompute.LoadTermsAsync(db, certificationId, ct);
        if (certification is null || terms is null)
        {
            return null;
        }

        var rows = await RowsAsync(db, actor, certificationId, terms, learnerIds: null, ct);
        return new Roster(
            new RosterCertification(
                certificationId,
                certification.Name,
                certification.IsInvisible,
                certification.State,
                terms.Renewal?.PeriodMonths,
                terms.DueDate,
                terms.MinimumPassingGrade,
                [.. terms.Courses.Select(c => new RosterCourse(c.CourseId, c.Title))]),
            rows);
    }

    /// <summary>
    /// The rows of the given learners only, for a page that heard they changed: a learner missing from the answer no longer
    /// holds the certification (or is no longer the actor's to see), and their row goes.
    /// </summary>
    public async Task<IReadOnlyList<RosterRow>> GetRowsAsync(Actor actor, int certificationId, IReadOnlyCollection<int> learnerIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(learnerIds);
        await RequireManagerOrAdminAsync(actor, certificationId, ct);
        if (learnerIds.Count == 0)
        {
            return [];
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var terms = await ProgressRecompute.LoadTermsAsync(db, certificationId, ct);
        return terms is null ? [] : await RowsAsync(db, actor, certificationId, terms, learnerIds, ct);
    }

    private async Task RequireManagerOrAdminAsync(Actor actor, int certificationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin && !(actor.IsManager && actor.LearnerId is not null))
        {
            await guard.RecordDeniedAsync(actor, $"the learners of certification #{certificationId}", ct);
            throw new AccessDeniedException("Only managers and admins can see who holds a certification.");
        }
    }

    private async Task<List<RosterRow>> RowsAsync(
        CertificationsDbContext db,
        Actor actor,
        int certificationId,
        CertificationTerms terms,
        IReadOnlyCollection<int>? learnerIds,
        CancellationToken ct)
    {
        var assignments = db.Assignments.AsNoTracking().Where(a => a.CertificationId == certificationId && a.WithdrawnAt == null);

        // Admins see every learner; a manager who is not an admin, their reporting line.
        IEnumerable<int>? scope = learnerIds;
        if (!actor.IsAdmin)
        {
            scope = learnerIds is null
                ? await ReportingLine.ReportsOfAsync(db, actor.LearnerId!.Value, ct)
                : await ReportingToAsync(db, actor.LearnerId!.Value, learnerIds, ct);
        }

        if (scope is not null)
        {
            // One JSON parameter, whatever the number of learners.
            var ids = scope.Distinct().ToList();
            if (ids.Count == 0)
            {
                return [];
            }

            assignments = assignments.Where(a => EF.Parameter(ids).Contains(a.LearnerId));
        }

        var held = await assignments
            .OrderBy(a => a.Learner!.Name).ThenBy(a => a.LearnerId)
            .Select(a => new
            {
                a.Id,
                a.LearnerId,
                a.CertificationId,
                a.Learner!.Name,
                a.Learner.Email,
                a.AssignedAt,
                a.GraceDays,
                a.WithdrawnAt,
                a.DueDateOverride,
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
        if (held.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow().UtcDateTime;
        var learners = held.Select(a => a.LearnerId).ToList();
        var stepIds = terms.Courses.SelectMany(c => c.Steps).Select(s => s.StepId).Distinct().ToList();
        var earliest = held.Min(a => AssignmentRules.FirstWindowStart(a.AssignedAt, a.GraceDays, terms.EffectiveFrom, calendar));
        var results = (await db.StepResults.AsNoTracking()
                .Where(r => EF.Parameter(learners).Contains(r.LearnerId) && stepIds.Contains(r.StepId) && r.CompletedAt >= earliest)
                .Select(r => new { r.LearnerId, Fact = new ResultFact(r.Id, r.StepId, r.Score, r.CompletedAt) })
                .ToListAsync(ct))
            .ToLookup(r => r.LearnerId, r => r.Fact);
        var completions = await CompletionFacts.LoadAsync(db, held.Select(a => (a.Id, a.LearnerId, a.CertificationId)), ct);

        return
        [
            .. held.Select(a => Row(
                now,
                a.LearnerId,
                a.Name,
                a.Email,
                terms,
                AssignmentRules.Evaluate(
                    terms,
                    new AssignmentFacts(a.AssignedAt, a.GraceDays, a.WithdrawnAt)
                    {
                        DueDate = a.DueDateOverride,
                        Exemption = a.ExemptSince is { } since ? new Exemption(since, a.ExemptUntil, a.ExemptReason ?? "", a.ExemptBy ?? "") : null,
                    },
                    results[a.LearnerId],
                    now,
                    calendar,
                    [.. a.Periods.Select(p => new ComputedPeriod(
                        p.Number, p.WindowStart, p.CompletedAt, p.ExpiresAt, p.ChainStart, p.ChainIndex, p.Grades.ToDictionary(g => g.CourseId, g => g.Grade))
                    {
                        Source = p.Source,
                        CompletionRecordId = p.CompletionRecordId,
                    })],
                    [.. completions[a.Id]]))),
        ];
    }

    /// <summary>
    /// Those of the learners who report to the manager, directly or not, found by walking up from them: a few learners
    /// named by an event cost one small query per level above them, not the manager's whole reporting line.
    /// </summary>
    private static async Task<List<int>> ReportingToAsync(CertificationsDbContext db, int managerId, IReadOnlyCollection<int> learnerIds, CancellationToken ct)
    {
        var found = new List<int>();

        // Each learner still climbing, with the learner reached so far and those already passed (bad data may loop).
        var climbing = learnerIds.Where(id => id != managerId).Distinct().ToDictionary(id => id, id => (At: id, Passed: new HashSet<int> { id }));
        while (climbing.Count > 0)
        {
            var at = climbing.Values.Select(c => c.At).Distinct().ToList();
            var managers = await db.Learners.AsNoTracking()
                .Where(l => EF.Parameter(at).Contains(l.Id))
                .Select(l => new { l.Id, l.ManagerId })
                .ToDictionaryAsync(l => l.Id, l => l.ManagerId, ct);
            foreach (var (learner, (reached, passed)) in climbing.ToList())
            {
                var above = managers.GetValueOrDefault(reached);
                if (above == managerId)
                {
                    found.Add(learner);
                }

                if (above is not { } next || next == managerId || !passed.Add(next))
                {
                    climbing.Remove(learner);
                }
                else
                {
                    climbing[learner] = (next, passed);
                }
            }
        }

        return found;
    }

    private RosterRow Row(DateTime now, int learnerId, string name, string email, CertificationTerms terms, AssignmentStanding standing)
    {
        var lastCompleted = standing.Periods.LastOrDefault(p => p.CompletedAt is not null);
        (RosterDateKind? Kind, DateOnly? Date) date = (terms.Renewal, lastCompleted, terms.DueDate) switch
        {
            (not null, { ExpiresAt: { } expires }, _) => (expires <= now ? RosterDateKind.Expired : RosterDateKind.Expires, calendar.DateOf(expires)),
            (not null, _, _) => (null, null),
            (null, { CompletedAt: { } completed }, _) => (RosterDateKind.Completed, calendar.DateOf(completed)),
            (null, _, { } due) => (RosterDateKind.Due, due),
            _ => (null, null),
        };
        return new RosterRow(
            learnerId,
            name,
            email,
            standing.Status,
            standing.CoursesSatisfied,
            standing.CoursesRequired,
            [.. standing.Current.Courses.Select(c => new RosterGrade(c.CourseId, c.Grade, c.IsSatisfied))],
            date.Kind,
            date.Date);
    }
}
