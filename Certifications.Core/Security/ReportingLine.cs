using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Security;

/// <summary>Who reports to a manager, directly or through other managers.</summary>
public static class ReportingLine
{
    /// <summary>Every learner below the manager: one query per level of the management tree, never one per learner.</summary>
    public static async Task<HashSet<int>> ReportsOfAsync(CertificationsDbContext db, int managerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var reports = new HashSet<int>();
        var frontier = new List<int> { managerId };
        while (frontier.Count > 0)
        {
            // One JSON parameter for the level, however many managers it holds: SQLite caps the number of parameters.
            var managers = frontier;
            var level = await db.Learners.AsNoTracking()
                .Where(l => l.ManagerId != null && EF.Parameter(managers).Contains(l.ManagerId.Value))
                .Select(l => l.Id)
                .ToListAsync(ct);

            // A cycle in bad data (A manages B manages A) must not loop for ever.
            frontier = [.. level.Where(id => id != managerId && reports.Add(id))];
        }

        return reports;
    }
}
