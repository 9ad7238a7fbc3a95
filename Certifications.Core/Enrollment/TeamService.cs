using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Enrollment;

public sealed record TeamMember(int LearnerId, string Name, string Email, string? ManagerName, int Assigned, int Done, int InProgress, int NotStarted, int NeedsAttention);

/// <summary>The learners a manager manages, directly or through other managers, with where they stand.</summary>
public sealed class TeamService(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard)
{
    private static readonly AssignmentStatus[] Done = [AssignmentStatus.Completed, AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon];
    private static readonly AssignmentStatus[] Attention = [AssignmentStatus.Overdue, AssignmentStatus.RenewalDue];
    private static readonly AssignmentStatus[] Underway = [AssignmentStatus.InProgress];
    private static readonly AssignmentStatus[] NotYet = [AssignmentStatus.NotStarted, AssignmentStatus.Scheduled];

    public async Task<IReadOnlyList<TeamMember>> GetTeamAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsManager || actor.LearnerId is not { } managerId)
        {
            await guard.RecordDeniedAsync(actor, "the team page", ct);
            throw new AccessDeniedException("Only managers have a team page.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var reports = (await ReportingLine.ReportsOfAsync(db, managerId, ct)).ToList();
        return await db.Learners.AsNoTracking()
            .Where(l => reports.Contains(l.Id))
            .OrderBy(l => l.Name)
            .Select(l => new TeamMember(
                l.Id,
                l.Name,
                l.Email,
                l.Manager == null ? null : l.Manager.Name,
                db.Assignments.Count(a => a.LearnerId == l.Id && a.WithdrawnAt == null),
                db.Assignments.Count(a => a.LearnerId == l.Id && a.WithdrawnAt == null && Done.Contains(a.Status)),
                db.Assignments.Count(a => a.LearnerId == l.Id && a.WithdrawnAt == null && Underway.Contains(a.Status)),
                db.Assignments.Count(a => a.LearnerId == l.Id && a.WithdrawnAt == null && NotYet.Contains(a.Status)),
                db.Assignments.Count(a => a.LearnerId == l.Id && a.WithdrawnAt == null && Attention.Contains(a.Status))))
            .ToListAsync(ct);
    }
}
