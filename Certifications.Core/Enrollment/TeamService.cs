using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Enrollment;

public sealed record TeamMember(int LearnerId, string Name, string Email, string? ManagerName, int Assigned, int Done, int InProgress, int NotStarted, int NeedsAttention);

public sealed record StatusCount(AssignmentStatus Status, int Count);

/// <summary>
/// A published certification some of the manager's learners hold, with how many of them stand at each status (as last
/// evaluated), in the order of <see cref="AssignmentStatus"/>; statuses nobody has are left out. The four totals group
/// them as the team list does.
/// </summary>
public sealed record TeamCertification(int CertificationId, string Name, bool IsInvisible, int? RenewalPeriodMonths, IReadOnlyList<StatusCount> Counts)
{
    public int Learners => Counts.Sum(c => c.Count);

    public int Done => CountOf(TeamService.Done);

    public int InProgress => CountOf(TeamService.Underway);

    public int NotStarted => CountOf(TeamService.NotYet);

    public int NeedsAttention => CountOf(TeamService.Attention);

    private int CountOf(AssignmentStatus[] statuses) => Counts.Where(c => statuses.Contains(c.Status)).Sum(c => c.Count);
}

/// <summary>The manager's home: the certifications their learners hold, and the learners themselves.</summary>
public sealed record TeamDashboard(IReadOnlyList<TeamCertification> Certifications, IReadOnlyList<TeamMember> Members);

/// <summary>The learners a manager manages, directly or through other managers, with where they stand.</summary>
public sealed class TeamService(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard)
{
    // An exempt learner has nothing left to do: they count with those who are done.
    internal static readonly AssignmentStatus[] Done = [AssignmentStatus.Completed, AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon, AssignmentStatus.Exempt];
    internal static readonly AssignmentStatus[] Attention = [AssignmentStatus.Overdue, AssignmentStatus.RenewalDue];
    internal static readonly AssignmentStatus[] Underway = [AssignmentStatus.InProgress];
    internal static readonly AssignmentStatus[] NotYet = [AssignmentStatus.NotStarted, AssignmentStatus.Scheduled];

    public async Task<IReadOnlyList<TeamMember>> GetTeamAsync(Actor actor, CancellationToken ct = default)
    {
        var managerId = await RequireManagerAsync(actor, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var reports = (await ReportingLine.ReportsOfAsync(db, managerId, ct)).ToList();
        return await MembersAsync(db, reports, ct);
    }

    /// <summary>
    /// The certifications the manager's learners hold, with their status counts, and the learners: the reporting line, then
    /// one query for the learners and one grouped count for the certifications, whatever the number of learners.
    /// </summary>
    public async Task<TeamDashboard> GetDashboardAsync(Actor actor, CancellationToken ct = default)
    {
        var managerId = await RequireManagerAsync(actor, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var reports = (await ReportingLine.ReportsOfAsync(db, managerId, ct)).ToList();
        if (reports.Count == 0)
        {
            return new TeamDashboard([], []);
        }

        var members = await MembersAsync(db, reports, ct);
        var counts = await db.Assignments.AsNoTracking()
            .Where(a => a.WithdrawnAt == null && a.Certification!.State == CertificationState.Published && EF.Parameter(reports).Contains(a.LearnerId))
            .GroupBy(a => new
            {
                a.CertificationId,
                a.Certification!.Name,
                a.Certification.IsInvisible,
                a.Certification.RenewalRequired,
                a.Certification.RenewalPeriodMonths,
                a.Status,
            })
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var certifications = counts
            .GroupBy(c => (c.Key.CertificationId, c.Key.Name, c.Key.IsInvisible, RenewalPeriodMonths: c.Key.RenewalRequired ? c.Key.RenewalPeriodMonths : null))
            .Select(g => new TeamCertification(
                g.Key.CertificationId,
                g.Key.Name,
                g.Key.IsInvisible,
                g.Key.RenewalPeriodMonths,
                [.. g.OrderBy(c => c.Key.Status).Select(c => new StatusCount(c.Key.Status, c.Count))]))
            .OrderBy(c => c.Name, StringComparer.CurrentCulture)
            .ToList();
        return new TeamDashboard(certifications, members);
    }

    private async Task<int> RequireManagerAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsManager || actor.LearnerId is not { } managerId)
        {
            await guard.RecordDeniedAsync(actor, "the team page", ct);
            throw new AccessDeniedException("Only managers have a team page.");
        }

        return managerId;
    }

    private static async Task<List<TeamMember>> MembersAsync(CertificationsDbContext db, List<int> reports, CancellationToken ct) =>
        await db.Learners.AsNoTracking()
            .Where(l => EF.Parameter(reports).Contains(l.Id))
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
