using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Catalog;

/// <summary>A learner in a group.</summary>
public readonly record struct Membership(int GroupId, int LearnerId);

/// <summary>
/// What learners joining and leaving groups means for the published certifications targeting those groups, read before
/// the change: who gets which certification, and which unfinished assignments lose their last source and are withdrawn.
/// The change itself is made by <see cref="EnrollmentSync.MembershipChangedAsync"/>, inside the caller's transaction.
/// </summary>
internal static class MembershipChanges
{
    /// <summary>Names listed in a note before "and N more".</summary>
    private const int NamesShown = 10;

    /// <param name="unsavedNames">Names of learners not saved yet, by the placeholder id they preview with.</param>
    public static async Task<List<ImpactNote>> PreviewAsync(
        CertificationsDbContext db,
        IReadOnlyCollection<Membership> joining,
        IReadOnlyCollection<Membership> leaving,
        IReadOnlyDictionary<int, string>? unsavedNames,
        CancellationToken ct)
    {
        var groupIds = joining.Concat(leaving).Select(m => m.GroupId).Distinct().ToList();
        var learnerIds = joining.Concat(leaving).Select(m => m.LearnerId).Distinct().ToList();
        if (learnerIds.Count == 0)
        {
            return [];
        }

        var certifications = await db.Certifications.AsNoTracking()
            .Where(c => c.State == CertificationState.Published && c.TargetGroups.Any(t => groupIds.Contains(t.GroupId)))
            .OrderBy(c => c.Name)
            .Select(c => new { c.Id, c.Name, Targets = c.TargetGroups.Select(t => t.GroupId).ToList() })
            .ToListAsync(ct);
        if (certifications.Count == 0)
        {
            return [];
        }

        var certificationIds = certifications.Select(c => c.Id).ToList();
        var targetGroupIds = certifications.SelectMany(c => c.Targets).Distinct().ToList();
        var before = (await db.GroupMembers.AsNoTracking()
                .Where(m => learnerIds.Contains(m.LearnerId) && targetGroupIds.Contains(m.GroupId))
                .Select(m => new { m.GroupId, m.LearnerId })
                .ToListAsync(ct))
            .Select(m => new Membership(m.GroupId, m.LearnerId))
            .ToHashSet();
        var after = before.ToHashSet();
        after.ExceptWith(leaving);
        after.UnionWith(joining);
        var assignments = (await db.Assignments.AsNoTracking()
                .Where(a => certificationIds.Contains(a.CertificationId) && learnerIds.Contains(a.LearnerId))
                .Select(a => new
                {
                    a.CertificationId,
                    a.LearnerId,
                    Active = a.WithdrawnAt == null,
                    Completed = a.Periods.Any(p => p.CompletedAt != null),
                    OtherSource = a.Sources.Any(s => s.Kind != AssignmentSourceKind.Group),
                })
                .ToListAsync(ct))
            .ToDictionary(a => (a.CertificationId, a.LearnerId));
        var names = await db.Learners.AsNoTracking().Where(l => learnerIds.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        foreach (var (id, name) in unsavedNames ?? new Dictionary<int, string>())
        {
            names[id] = name;
        }

        var leavers = leaving.Select(m => m.LearnerId).ToHashSet();
        var notes = new List<ImpactNote>();
        foreach (var certification in certifications)
        {
            var assigned = new List<string>();
            var withdrawn = new List<string>();
            var kept = 0;
            foreach (var learnerId in learnerIds.OrderBy(id => names.GetValueOrDefault(id, "")))
            {
                var memberAfter = certification.Targets.Exists(g => after.Contains(new Membership(g, learnerId)));
                var memberBefore = certification.Targets.Exists(g => before.Contains(new Membership(g, learnerId)));
                var assignment = assignments.GetValueOrDefault((certification.Id, learnerId));
                var name = names.GetValueOrDefault(learnerId, $"Learner #{learnerId}");
                if (memberAfter && assignment is not { Active: true })
                {
                    assigned.Add(name);
                }
                else if (memberBefore && assignment is { Active: true } && leavers.Contains(learnerId))
                {
                    if (memberAfter || assignment.Completed || assignment.OtherSource)
                    {
                        kept++;
                    }
                    else
                    {
                        withdrawn.Add(name);
                    }
                }
            }

            if (assigned.Count > 0)
            {
                notes.Add(new ImpactNote(
                    ImpactKind.Assigned,
                    $"\u201c{certification.Name}\u201d is assigned to {List(assigned)}.",
                    "At once, with all its courses: it appears on their profile panel (unless it is invisible) and their results start counting.",
                    [certification.Name],
                    assigned.Count,
                    assigned));
            }

            if (withdrawn.Count > 0)
            {
                var keeping = kept == 0 ? "" : $" {CatalogVersions.Count(kept, "other learner")} leaving keep it: they completed it, or hold it through another group or on their own.";
                notes.Add(new ImpactNote(
                    ImpactKind.Withdrawn,
                    $"{CatalogVersions.Count(withdrawn.Count, "unfinished assignment")} of \u201c{certification.Name}\u201d {(withdrawn.Count == 1 ? "is" : "are")} withdrawn: {List(withdrawn)}.",
                    "This group was the last source through which they hold it, and they have not completed it. A completion is never removed; "
                    + "if they join a targeted group again, the assignment comes back with its history." + keeping,
                    [certification.Name],
                    withdrawn.Count,
                    withdrawn));
            }
        }

        return notes;
    }

    /// <summary>Each learner's groups by name, in order, for the audit trail.</summary>
    public static async Task<Dictionary<int, List<string>>> GroupNamesOfAsync(CertificationsDbContext db, List<int> learnerIds, CancellationToken ct)
    {
        var rows = (await db.GroupMembers.AsNoTracking().Where(m => learnerIds.Contains(m.LearnerId))
                .Select(m => new { m.LearnerId, m.Group!.Name }).ToListAsync(ct))
            .ToLookup(r => r.LearnerId, r => r.Name);
        return learnerIds.Distinct().ToDictionary(id => id, id => rows[id].Order().ToList());
    }

    private static string List(List<string> names) =>
        names.Count <= NamesShown
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(NamesShown)) + $" and {names.Count - NamesShown:N0} more";
}
