using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Catalog;

/// <summary>
/// What follows a committed catalog change: the affected certifications' progress recomputed by the rules, and the
/// change announced. The change is already saved, so a failing recompute is logged (the next one repairs it) and never
/// reported as a failed save.
/// </summary>
internal sealed class CatalogFollowUp(ProgressRecompute recompute, EventHub events, ILogger logger)
{
    public async Task RecomputeAsync(IEnumerable<int> certificationIds, IReadOnlyCollection<int>? learnerIds, CancellationToken ct)
    {
        foreach (var id in certificationIds.Distinct())
        {
            await recompute.RecomputeAfterCommitAsync(id, learnerIds, logger, ct);
        }
    }

    public async Task AnnounceAsync(IEnumerable<int> certificationIds)
    {
        foreach (var id in certificationIds.Distinct())
        {
            await events.PublishAsync(new CertificationChanged(id));
        }
    }

    /// <summary>Assignments a membership change created, restored or withdrew: recomputed, and announced to live pages.</summary>
    public Task AnnounceEnrolmentAsync(EnrollmentChanges changes, CancellationToken ct) =>
        EnrollmentSync.AnnounceAsync(changes, recompute, events, logger, ct);
}
