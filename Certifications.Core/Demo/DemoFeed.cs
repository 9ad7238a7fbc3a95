using System.Globalization;
using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Demo;

/// <summary>
/// Plays the demo company's learning system: every few seconds a few learners with something left to do complete the
/// next step of one of their certifications, and the results are sent through <see cref="ResultIngestion"/>, the same
/// path the API takes (checks, recording, progress, live events, audit under <see cref="SenderName"/>). A newcomer sees
/// dashboards and panels move without sending anything.
/// </summary>
public sealed class DemoFeed(IDbContextFactory<CertificationsDbContext> factory, ResultIngestion ingestion, TimeProvider time)
{
    /// <summary>How the feed is named in the audit trail, like an API key.</summary>
    public const string SenderName = "Demo feed";

    /// <summary>Every external id the feed sends starts with this, so its results are easy to tell apart.</summary>
    public const string ExternalIdPrefix = "demo-feed-";

    /// <summary>A score at or above this on a step means the learner has done that step; below it they may try again.</summary>
    private const decimal GoodScore = 80m;

    private static readonly AssignmentStatus[] Open =
    [
        AssignmentStatus.NotStarted, AssignmentStatus.InProgress, AssignmentStatus.Overdue,
        AssignmentStatus.ExpiringSoon, AssignmentStatus.RenewalDue,
    ];

    private static readonly Actor Sender = Actor.ApiClient(SenderName);

    /// <summary>
    /// Picks up to <paramref name="learners"/> open assignments of published certifications at random and sends one result
    /// each, for the first graded step, in course order, the learner has not yet done well since the assignment (or
    /// renewal) began. Three queries to choose, whatever the size of the company; nothing is sent when nobody has
    /// anything left to do.
    /// </summary>
    public async Task<IngestionReport> SendOnceAsync(int learners, Random random, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learners);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var picked = await db.Assignments.AsNoTracking()
            .Where(a => a.WithdrawnAt == null && Open.Contains(a.Status) && a.Certification!.State == CertificationState.Published)
            .OrderBy(_ => EF.Functions.Random())
            .Take(learners)
            .Select(a => new Pick(a.LearnerId, a.CertificationId, a.Status, a.AssignedAt, a.GraceDays, a.StatusChangedAt))
            .ToListAsync(ct);
        picked = [.. picked.DistinctBy(p => p.LearnerId)];
        if (picked.Count == 0)
        {
            return new IngestionReport([]);
        }

        var certificationIds = picked.Select(p => p.CertificationId).Distinct().ToList();
        var steps = (await db.CertificationCourses.AsNoTracking()
                .Where(cc => certificationIds.Contains(cc.CertificationId))
                .SelectMany(cc => cc.Course!.Steps.Where(s => s.IsGraded), (cc, s) => new { cc.CertificationId, CoursePosition = cc.Position, StepPosition = s.Position, StepId = s.Id })
                .ToListAsync(ct))
            .OrderBy(s => s.CoursePosition).ThenBy(s => s.StepPosition).ThenBy(s => s.StepId)
            .ToLookup(s => s.CertificationId, s => s.StepId);

        var learnerIds = picked.Select(p => p.LearnerId).ToList();
        var stepIds = steps.SelectMany(s => s).Distinct().ToList();
        var earliest = picked.Min(Since);
        var done = (await db.StepResults.AsNoTracking()
                .Where(r => learnerIds.Contains(r.LearnerId) && stepIds.Contains(r.StepId) && r.CompletedAt >= earliest && r.Score >= GoodScore)
                .Select(r => new { r.LearnerId, r.StepId, r.CompletedAt })
                .ToListAsync(ct))
            .ToLookup(r => r.LearnerId);

        var items = new List<ResultItem>();
        foreach (var pick in picked)
        {
            var since = Since(pick);
            var doneSteps = done[pick.LearnerId].Where(r => r.CompletedAt >= since).Select(r => r.StepId).ToHashSet();
            var certificationSteps = steps[pick.CertificationId].ToList();
            if (certificationSteps.Count == 0)
            {
                continue;
            }

            // Everything done well and still open (a course mean below a high minimum): try one step again.
            var remaining = certificationSteps.Where(s => !doneSteps.Contains(s)).ToList();
            var next = remaining.Count > 0 ? remaining[0] : certificationSteps[random.Next(certificationSteps.Count)];
            items.Add(new ResultItem(
                ExternalIdPrefix + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture),
                pick.LearnerId,
                next,
                Score(random),
                now));
        }

        return items.Count == 0 ? new IngestionReport([]) : await ingestion.IngestAsync(Sender, items, ct);
    }

    /// <summary>Mostly passing scores in whole points, now and then a failed attempt that the learner will retry.</summary>
    private static decimal Score(Random random) => random.Next(10) == 0 ? random.Next(40, 70) : random.Next(72, 101);

    /// <summary>
    /// When the current effort began: the assignment less its grace, or, for a renewal under way, when its status last
    /// changed; a close enough reading of the counting window to choose a plausible next step.
    /// </summary>
    private static DateTime Since(Pick pick) =>
        pick.Status is AssignmentStatus.ExpiringSoon or AssignmentStatus.RenewalDue
            ? pick.StatusChangedAt
            : pick.AssignedAt.AddDays(-pick.GraceDays);

    private sealed record Pick(int LearnerId, int CertificationId, AssignmentStatus Status, DateTime AssignedAt, int GraceDays, DateTime StatusChangedAt);
}
