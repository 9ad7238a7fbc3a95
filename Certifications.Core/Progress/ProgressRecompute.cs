using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Progress;

/// <summary>
/// Derives every assignment's periods and status from the results, by the rules, and stores what changed.
/// Set-based: a handful of queries per certification and batch of learners, never one per learner. Running it
/// twice at the same instant changes nothing the second time.
/// </summary>
public sealed class ProgressRecompute(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    EventHub events)
{
    /// <summary>Learners evaluated per batch: bounds the size of each query's id list and of each transaction.</summary>
    public const int BatchSize = 500;

    /// <summary>Recomputes every certification that has assignments; returns the number of assignments that changed.</summary>
    public async Task<int> RecomputeAllAsync(CancellationToken ct = default)
    {
        List<int> ids;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            ids = await db.Assignments.AsNoTracking().Select(a => a.CertificationId).Distinct().OrderBy(id => id).ToListAsync(ct);
        }

        var changed = 0;
        foreach (var id in ids)
        {
            changed += await RecomputeCertificationAsync(id, learnerIds: null, ct);
        }

        return changed;
    }

    /// <summary>Recomputes one certification's assignments, all of them or only the given learners'.</summary>
    public async Task<int> RecomputeCertificationAsync(int certificationId, IReadOnlyCollection<int>? learnerIds = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var terms = await LoadTermsAsync(db, certificationId, ct);
        if (terms is null)
        {
            return 0;
        }

        var assignments = db.Assignments.Where(a => a.CertificationId == certificationId);
        if (learnerIds is not null)
        {
            var ids = learnerIds.ToList();
            assignments = assignments.Where(a => ids.Contains(a.LearnerId));
        }

        var learners = await assignments.Select(a => a.LearnerId).OrderBy(id => id).ToListAsync(ct);
        var changed = new List<int>();
        foreach (var batch in learners.Chunk(BatchSize))
        {
            changed.AddRange(await RecomputeBatchAsync(certificationId, terms, batch, now, ct));
        }

        if (changed.Count > 0)
        {
            await events.PublishAsync(new AssignmentsChanged(certificationId, changed));
        }

        return changed.Count;
    }

    private async Task<List<int>> RecomputeBatchAsync(int certificationId, CertificationTerms terms, int[] learnerIds, DateTime now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var assignments = await db.Assignments
            .Where(a => a.CertificationId == certificationId && learnerIds.Contains(a.LearnerId))
            .Include(a => a.Periods).ThenInclude(p => p.CourseGrades)
            .AsSplitQuery()
            .ToListAsync(ct);
        var stepIds = terms.Courses.SelectMany(c => c.Steps).Select(s => s.StepId).ToList();
        var earliest = assignments.Count == 0 ? now : assignments.Min(a => AssignmentRules.FirstWindowStart(a.AssignedAt, a.GraceDays, terms.EffectiveFrom, calendar));
        var results = (await db.StepResults.AsNoTracking()
                .Where(r => learnerIds.Contains(r.LearnerId) && stepIds.Contains(r.StepId) && r.CompletedAt >= earliest)
                .Select(r => new { r.LearnerId, Fact = new ResultFact(r.Id, r.StepId, r.Score, r.CompletedAt) })
                .ToListAsync(ct))
            .ToLookup(r => r.LearnerId, r => r.Fact);

        var changed = new List<int>();
        foreach (var assignment in assignments)
        {
            var standing = AssignmentRules.Evaluate(
                terms,
                new AssignmentFacts(assignment.AssignedAt, assignment.GraceDays, assignment.WithdrawnAt),
                results[assignment.LearnerId],
                now,
                calendar,
                History(assignment));
            if (Apply(assignment, standing, now))
            {
                changed.Add(assignment.LearnerId);
            }
        }

        await db.SaveChangesAsync(ct);
        return changed;
    }

    private static List<ComputedPeriod> History(Enrollment.Assignment assignment) =>
    [
        .. assignment.Periods.Where(p => p.CompletedAt is not null).Select(p => new ComputedPeriod(
            p.Number, p.WindowStart, p.CompletedAt, p.ExpiresAt, p.ChainStart, p.ChainIndex,
            p.CourseGrades.ToDictionary(g => g.CourseId, g => g.Grade))),
    ];

    /// <summary>Brings the stored assignment in line with its standing; true when anything changed.</summary>
    internal static bool Apply(Enrollment.Assignment assignment, AssignmentStanding standing, DateTime now)
    {
        var changed = false;
        if (assignment.Status != standing.Status)
        {
            assignment.Status = standing.Status;
            assignment.StatusChangedAt = now;
            changed = true;
        }

        if (assignment.CoursesSatisfied != standing.CoursesSatisfied || assignment.CoursesRequired != standing.CoursesRequired)
        {
            assignment.CoursesSatisfied = standing.CoursesSatisfied;
            assignment.CoursesRequired = standing.CoursesRequired;
            changed = true;
        }

        foreach (var computed in standing.Periods)
        {
            var stored = assignment.Periods.Find(p => p.Number == computed.Number);
            if (stored is null)
            {
                stored = new Period { Number = computed.Number };
                assignment.Periods.Add(stored);
                changed = true;
            }

            changed |= SyncPeriod(stored, computed);
        }

        // An open period the facts no longer support (the assignment was withdrawn first) is removed; a completed one never is.
        var unsupported = assignment.Periods.Where(p => p.CompletedAt is null && standing.Periods.All(c => c.Number != p.Number)).ToList();
        foreach (var period in unsupported)
        {
            assignment.Periods.Remove(period);
            changed = true;
        }

        return changed;
    }

    private static bool SyncPeriod(Period stored, ComputedPeriod computed)
    {
        if (stored.WindowStart == computed.WindowStart && stored.CompletedAt == computed.CompletedAt && stored.ExpiresAt == computed.ExpiresAt
            && stored.ChainStart == computed.ChainStart && stored.ChainIndex == computed.ChainIndex
            && stored.CourseGrades.Count == computed.CourseGrades.Count
            && stored.CourseGrades.TrueForAll(g => computed.CourseGrades.TryGetValue(g.CourseId, out var grade) && grade == g.Grade))
        {
            return false;
        }

        // Results that arrive late or out of order can move a completion earlier: the period follows the facts.
        stored.WindowStart = computed.WindowStart;
        stored.CompletedAt = computed.CompletedAt;
        stored.ExpiresAt = computed.ExpiresAt;
        stored.ChainStart = computed.ChainStart;
        stored.ChainIndex = computed.ChainIndex;
        stored.CourseGrades.Clear();
        stored.CourseGrades.AddRange(computed.CourseGrades.Select(g => new PeriodCourseGrade { CourseId = g.Key, Grade = g.Value }));
        return true;
    }

    /// <summary>The certification's terms as the rules take them: one query for the certification, one for its courses' steps.</summary>
    public static async Task<CertificationTerms?> LoadTermsAsync(CertificationsDbContext db, int certificationId, CancellationToken ct) =>
        (await LoadTermsAsync(db, [certificationId], ct)).GetValueOrDefault(certificationId);

    /// <summary>Several certifications' terms at once, by id: one query for the certifications, one for their courses' steps.</summary>
    public static async Task<IReadOnlyDictionary<int, CertificationTerms>> LoadTermsAsync(
        CertificationsDbContext db, IReadOnlyCollection<int> certificationIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(certificationIds);
        var ids = certificationIds.Distinct().ToList();
        var certifications = await db.Certifications.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.EffectiveFrom,
                c.DueDate,
                c.MinimumPassingGrade,
                c.RenewalRequired,
                c.RenewalPeriodMonths,
                c.RenewalWindowDays,
                c.RenewalAnchor,
                Courses = c.Courses.OrderBy(cc => cc.Position).Select(cc => new { cc.CourseId, cc.Course!.Title }).ToList(),
            })
            .ToListAsync(ct);
        if (certifications.Count == 0)
        {
            return new Dictionary<int, CertificationTerms>();
        }

        var courseIds = certifications.SelectMany(c => c.Courses).Select(c => c.CourseId).Distinct().ToList();
        var steps = (await db.Steps.AsNoTracking()
                .Where(s => courseIds.Contains(s.CourseId))
                .OrderBy(s => s.Position).ThenBy(s => s.Id)
                .Select(s => new { s.CourseId, Requirement = new StepRequirement(s.Id, s.Title, s.IsGraded) })
                .ToListAsync(ct))
            .ToLookup(s => s.CourseId, s => s.Requirement);
        return certifications.ToDictionary(
            certification => certification.Id,
            certification => new CertificationTerms(
                certification.EffectiveFrom,
                certification.RenewalRequired ? null : certification.DueDate,
                certification.MinimumPassingGrade,
                certification is { RenewalRequired: true, RenewalPeriodMonths: { } months }
                    ? new RenewalPolicy(months, certification.RenewalWindowDays, certification.RenewalAnchor)
                    : null,
                [.. certification.Courses.Select(c => new CourseRequirement(c.CourseId, c.Title, [.. steps[c.CourseId]]))]));
    }
}
