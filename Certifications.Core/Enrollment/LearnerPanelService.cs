using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Enrollment;

public sealed record PanelCertification(
    int AssignmentId,
    int CertificationId,
    string Name,
    string? Description,
    bool IsInvisible,
    CertificationState CertificationState,
    AssignmentStatus Status,
    int CoursesSatisfied,
    int CoursesRequired,
    DateOnly EffectiveFrom,
    DateOnly? DueDate,
    DateTime? CompletedAt,
    DateTime? ExpiresAt);

public sealed record LearnerPanel(int LearnerId, string Name, string Email, string? ManagerName, IReadOnlyList<PanelCertification> Certifications);

/// <summary>A learner's certifications as their profile panel shows them.</summary>
public sealed class LearnerPanelService(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard)
{
    /// <summary>
    /// The learner's current assignments and every completion they keep (even of retired or deleted certifications).
    /// Invisible certifications are shown to admins and managers, never to the learner themselves.
    /// </summary>
    public async Task<LearnerPanel?> GetPanelAsync(Actor actor, int learnerId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireLearnerAccessAsync(actor, learnerId, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var learner = await db.Learners.AsNoTracking()
            .Where(l => l.Id == learnerId)
            .Select(l => new { l.Id, l.Name, l.Email, ManagerName = l.Manager == null ? null : l.Manager.Name })
            .SingleOrDefaultAsync(ct);
        if (learner is null)
        {
            return null;
        }

        var showInvisible = actor.LearnerId != learnerId;
        var items = await db.Assignments.AsNoTracking()
            .Where(a => a.LearnerId == learnerId)
            .Where(a => showInvisible || !a.Certification!.IsInvisible)
            .Where(a => (a.WithdrawnAt == null && a.Certification!.State == CertificationState.Published)
                || a.Periods.Any(p => p.CompletedAt != null))
            .OrderBy(a => a.Certification!.Name)
            .Select(a => new PanelCertification(
                a.Id,
                a.CertificationId,
                a.Certification!.Name,
                a.Certification.Description,
                a.Certification.IsInvisible,
                a.Certification.State,
                a.Status,
                a.CoursesSatisfied,
                a.CoursesRequired,
                a.Certification.EffectiveFrom,
                a.Certification.RenewalRequired ? null : a.Certification.DueDate,
                a.Periods.Where(p => p.CompletedAt != null).OrderByDescending(p => p.Number).Select(p => p.CompletedAt).FirstOrDefault(),
                a.Periods.Where(p => p.CompletedAt != null).OrderByDescending(p => p.Number).Select(p => p.ExpiresAt).FirstOrDefault()))
            .ToListAsync(ct);
        return new LearnerPanel(learner.Id, learner.Name, learner.Email, learner.ManagerName, items);
    }
}
