using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Progress;

/// <summary>An assignment by its certification and learner.</summary>
internal readonly record struct AssignmentKey(int CertificationId, int LearnerId);

/// <summary>
/// Derives every assignment's periods and status from the results, by the rules, and stores what changed.
/// Set-based: a fixed handful of statements per batch of learners (loading the assignments with their periods, their
/// results, and one write per kind of change), never one per learner. Running it twice at the same instant changes
/// nothing the second time. Result ingestion runs the same evaluation on the assignments its results touch, inside its
/// own transaction.
/// </summary>
public sealed class ProgressRecompute(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    EventHub events)
{
    /// <summary>Learners evaluated per batch: bounds the size of each query's id list and of each transaction.</summary>
    public const int BatchSize = 500;

    private readonly AccessGuard guard = new(factory, time);

    /// <summary>
    /// Repair: an admin recomputes every assignment from the results. The run is recorded in the audit trail with the
    /// number of assignments it changed.
    /// </summary>
    public async Task<int> RecomputeAllAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireAdminAsync(actor, "recomputing every learner's progress", ct);
        var changed = await RecomputeAllAsync(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor.Name, "Progress", "all", "Recomputed", new { AssignmentsChanged = changed });
        await db.SaveChangesAsync(ct);
        return changed;
    }

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

    /// <summary>
    /// Recomputes after a change that is already committed: a failure is logged and repaired by the next recompute, never
    /// reported as a failed save. Set-based writes fail with the provider's own exception, EF Core's with its own.
    /// </summary>
    internal async Task RecomputeAfterCommitAsync(int certificationId, IReadOnlyCollection<int>? learnerIds, ILogger logger, CancellationToken ct)
    {
        try
        {
            await RecomputeCertificationAsync(certificationId, learnerIds, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            CoreLog.RecomputeAfterCommitFailed(logger, certificationId, ex);
        }
    }

    /// <summary>
    /// Recomputes one certification's assignments, all of them or only the given learners', in batches of
    /// <see cref="BatchSize"/> learners, each in its own transaction.
    /// </summary>
    public async Task<int> RecomputeCertificationAsync(int certificationId, IReadOnlyCollection<int>? learnerIds = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        CertificationTerms? terms;
        List<int> learners;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            terms = await LoadTermsAsync(db, certificationId, ct);
            if (terms is null)
            {
                return 0;
            }

            var assignments = db.Assignments.Where(a => a.CertificationId == certificationId);
            if (learnerIds is not null)
            {
                var ids = learnerIds.ToList();
                assignments = assignments.Where(a => EF.Parameter(ids).Contains(a.LearnerId));
            }

            learners = await assignments.Select(a => a.LearnerId).OrderBy(id => id).ToListAsync(ct);
        }

        var known = new Dictionary<int, CertificationTerms> { [certificationId] = terms };
        var changed = new List<int>();
        foreach (var batch in learners.Chunk(BatchSize))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // One JSON parameter for the batch's learners: SQLite binds hundreds of separate parameters by name, one look-up each.
            var scope = db.Assignments.Where(a => a.CertificationId == certificationId && EF.Parameter(batch).Contains(a.LearnerId));
            changed.AddRange((await RecomputeAsync(db, scope, now, known, ct)).Select(k => k.LearnerId));
            await transaction.CommitAsync(ct);
        }

        if (changed.Count > 0)
        {
            await events.PublishAsync(new AssignmentsChanged(certificationId, changed));
        }

        return changed.Count;
    }

    /// <summary>
    /// Evaluates the assignments <paramref name="scope"/> selects by the rules, at <paramref name="now"/>, and writes what
    /// changed, on the caller's context and inside its transaction; announcing is the caller's, after commit. Six
    /// queries to read (the assignments with their periods and grades, the terms unless known, the results) and one
    /// statement per kind of change to write, whatever the number of assignments and certifications.
    /// </summary>
    /// <returns>The assignments whose status, progress or periods changed.</returns>
    internal Task<IReadOnlyList<AssignmentKey>> RecomputeAsync(
        CertificationsDbContext db,
        IQueryable<Assignment> scope,
        DateTime now,
        IReadOnlyDictionary<int, CertificationTerms>? knownTerms,
        CancellationToken ct) =>
        RecomputeAsync(db, scope, now, knownTerms, transitions: null, ct);

    /// <inheritdoc cref="RecomputeAsync(CertificationsDbContext, IQueryable{Assignment}, DateTime, IReadOnlyDictionary{int, CertificationTerms}?, CancellationToken)"/>
    /// <param name="transitions">
    /// Gathers the time-driven transitions the evaluation makes (Renewals); they are written with the status, unless
    /// it is a preview's, which writes nothing at all. Null records them as made by no sweep run.
    /// </param>
    internal async Task<IReadOnlyList<AssignmentKey>> RecomputeAsync(
        CertificationsDbContext db,
        IQueryable<Assignment> scope,
        DateTime now,
        IReadOnlyDictionary<int, CertificationTerms>? knownTerms,
        TransitionLog? transitions,
        CancellationToken ct)
    {
        var assignments = await scope.AsNoTracking()
            .Include(a => a.Periods).ThenInclude(p => p.CourseGrades)
            .AsSplitQuery()
            .ToListAsync(ct);
        if (assignments.Count == 0)
        {
            return [];
        }

        var certificationIds = assignments.Select(a => a.CertificationId).Distinct().ToList();
        var terms = knownTerms is not null && certificationIds.TrueForAll(knownTerms.ContainsKey)
            ? knownTerms
            : await LoadTermsAsync(db, certificationIds, ct);
        assignments.RemoveAll(a => !terms.ContainsKey(a.CertificationId));
        if (assignments.Count == 0)
        {
            return [];
        }

        var stepsOf = certificationIds.Where(terms.ContainsKey).ToDictionary(
            id => id,
            id => terms[id].Courses.SelectMany(c => c.Steps).Select(s => s.StepId).ToHashSet());
        var stepIds = stepsOf.Values.SelectMany(steps => steps).Distinct().ToList();
        var learnerIds = assignments.Select(a => a.LearnerId).Distinct().ToList();
        var earliest = assignments.Min(a => AssignmentRules.FirstWindowStart(a.AssignedAt, a.GraceDays, terms[a.CertificationId].EffectiveFrom, calendar));
        var results = (await db.StepResults.AsNoTracking()
                .Where(r => EF.Parameter(learnerIds).Contains(r.LearnerId) && stepIds.Contains(r.StepId) && r.CompletedAt >= earliest)
                .Select(r => new { r.LearnerId, Fact = new ResultFact(r.Id, r.StepId, r.Score, r.CompletedAt) })
                .ToListAsync(ct))
            .ToLookup(r => r.LearnerId, r => r.Fact);

        var writes = new ProgressWrites();
        var changed = new List<AssignmentKey>();
        var log = transitions ?? new TransitionLog(runId: null, now);
        foreach (var assignment in assignments.OrderBy(a => a.CertificationId).ThenBy(a => a.LearnerId))
        {
            var steps = stepsOf[assignment.CertificationId];
            AssignmentStanding EvaluateAt(DateTime at) => AssignmentRules.Evaluate(
                terms[assignment.CertificationId],
                new AssignmentFacts(assignment.AssignedAt, assignment.GraceDays, assignment.WithdrawnAt),
                results[assignment.LearnerId].Where(r => steps.Contains(r.StepId)),
                at,
                calendar,
                History(assignment));
            var standing = EvaluateAt(now);
            if (writes.Add(assignment, standing, now))
            {
                changed.Add(new AssignmentKey(assignment.CertificationId, assignment.LearnerId));
            }

            // Renewals: the transitions the clock made since the last evaluation, each at the instant it took effect.
            log.Walk(assignment, EvaluateAt, now);
        }

        if (log.WritesNothing)
        {
            return changed;
        }

        await writes.SaveAsync(db, ct);
        await log.SaveAsync(db, ct);
        return changed;
    }

    private static List<ComputedPeriod> History(Assignment assignment) =>
    [
        .. assignment.Periods.Where(p => p.CompletedAt is not null).Select(p => new ComputedPeriod(
            p.Number, p.WindowStart, p.CompletedAt, p.ExpiresAt, p.ChainStart, p.ChainIndex,
            p.CourseGrades.ToDictionary(g => g.CourseId, g => g.Grade))),
    ];

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
