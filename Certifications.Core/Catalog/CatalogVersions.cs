using System.Globalization;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Catalog;

/// <summary>
/// Two admins editing the same course, group or learner: each change claims the version it was made from, inside its
/// transaction, by renewing it only where it is still that version. The second claim finds nothing to renew and is
/// refused with who changed it meanwhile; nothing is overwritten.
/// </summary>
internal static class CatalogVersions
{
    public static Task<int> ClaimCourseAsync(CertificationsDbContext db, int id, Guid expected, Guid next, CancellationToken ct) =>
        db.Courses.Where(c => c.Id == id && c.Version == expected).ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, next), ct);

    public static Task<int> ClaimGroupAsync(CertificationsDbContext db, int id, Guid expected, Guid next, CancellationToken ct) =>
        db.Groups.Where(g => g.Id == id && g.Version == expected).ExecuteUpdateAsync(s => s.SetProperty(g => g.Version, next), ct);

    public static Task<int> ClaimLearnerAsync(CertificationsDbContext db, int id, Guid expected, Guid next, CancellationToken ct) =>
        db.Learners.Where(l => l.Id == id && l.Version == expected).ExecuteUpdateAsync(s => s.SetProperty(l => l.Version, next), ct);

    /// <summary>
    /// Renews the versions of groups and learners changed from another page (a learner's groups, a group's members), so
    /// an editor open on them sees its copy is stale.
    /// </summary>
    public static async Task RenewAsync(CertificationsDbContext db, IReadOnlyCollection<int> groupIds, IReadOnlyCollection<int> learnerIds, CancellationToken ct)
    {
        // One new value for all of them: a version only needs to differ from what each editor holds.
        var next = Guid.NewGuid();
        if (groupIds.Count > 0)
        {
            var groups = groupIds.ToList();
            await db.Groups.Where(g => groups.Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.Version, next), ct);
        }

        if (learnerIds.Count > 0)
        {
            var learners = learnerIds.ToList();
            await db.Learners.Where(l => learners.Contains(l.Id)).ExecuteUpdateAsync(s => s.SetProperty(l => l.Version, next), ct);
        }
    }

    /// <summary>"This course was changed by someone else (who, when) after you opened it", from its audit trail.</summary>
    public static async Task<CatalogOutcome> ConflictAsync(CertificationsDbContext db, string entityType, int id, string what, CancellationToken ct)
    {
        var key = id.ToString(CultureInfo.InvariantCulture);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == entityType && e.EntityId == key)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.Actor, e.At })
            .FirstOrDefaultAsync(ct);
        var who = last is null
            ? "someone else"
            : string.Create(CultureInfo.InvariantCulture, $"someone else: {last.Actor} at {last.At:HH:mm} UTC on {last.At:d MMM yyyy}");
        return CatalogOutcome.Fail(
            FailureKind.Conflict,
            $"{what} was changed by {who}, after you opened it. Nothing was saved: reload to see their changes, then make yours again.");
    }

    /// <summary>The entity's audit trail, newest first.</summary>
    public static Task<List<CatalogChange>> TrailAsync(CertificationsDbContext db, string entityType, int id, int take, CancellationToken ct)
    {
        var key = id.ToString(CultureInfo.InvariantCulture);
        return db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == entityType && e.EntityId == key)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(take, 1, 1000))
            .Select(e => new CatalogChange(e.At, e.Actor, e.Action, e.Changes))
            .ToListAsync(ct);
    }

    /// <summary>"A, B and C", each in quotes.</summary>
    public static string Quoted(IEnumerable<string> names)
    {
        var list = names.Select(n => $"\u201c{n}\u201d").ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }

    /// <summary>"1 learner", "3 learners".</summary>
    public static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");
}
