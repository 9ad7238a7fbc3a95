using Certifications.Core.Certifications;
using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Catalog;

/// <summary>A course the wizard may offer: published and not a trigger course.</summary>
public sealed record CourseOption(int Id, string Title, int StepCount, int GradedStepCount);

/// <summary>A group the wizard may offer, with the included courses it is not assigned (none when it can be targeted).</summary>
public sealed record GroupOption(int Id, string Name, int MemberCount, IReadOnlyList<string> MissingCourses)
{
    public bool IsEligible => MissingCourses.Count == 0;
}

/// <summary>The live searches of the wizard: server-side, by text, paged.</summary>
public sealed class CatalogSearch(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard)
{
    public const int MaxPageSize = 50;

    /// <summary>Published, non-trigger courses whose title contains the text; others are never offered.</summary>
    public async Task<Page<CourseOption>> SearchCoursesAsync(Actor actor, string? text, int page = 0, int pageSize = 20, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var courses = db.Courses.AsNoTracking().Where(c => c.IsPublished && !c.IsTrigger);
        if (SearchPattern.Contains(text) is { } pattern)
        {
            courses = courses.Where(c => SearchPattern.Matches(c.Title, pattern));
        }

        return await courses.OrderBy(c => c.Title).ToPageAsync(
            page, pageSize, MaxPageSize, c => new CourseOption(c.Id, c.Title, c.Steps.Count, c.Steps.Count(s => s.IsGraded)), ct);
    }

    /// <summary>Groups whose name contains the text, each with the given courses it lacks.</summary>
    public async Task<Page<GroupOption>> SearchGroupsAsync(Actor actor, string? text, IReadOnlyCollection<int> includedCourseIds, int page = 0, int pageSize = 20, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(includedCourseIds);
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var groups = db.Groups.AsNoTracking();
        if (SearchPattern.Contains(text) is { } pattern)
        {
            groups = groups.Where(g => SearchPattern.Matches(g.Name, pattern));
        }

        var ids = includedCourseIds.Distinct().ToList();
        var rows = await groups.OrderBy(g => g.Name).ToPageAsync(page, pageSize, MaxPageSize, g => new { g.Id, g.Name, Members = g.Members.Count }, ct);

        // With no group on the page or no course included, nothing can be missing: no need to ask.
        var missing = rows.Items.Count == 0 || ids.Count == 0
            ? null
            : await MissingCoursesAsync(db, [.. rows.Items.Select(r => r.Id)], ids, ct);
        return new Page<GroupOption>(
            [.. rows.Items.Select(r => new GroupOption(r.Id, r.Name, r.Members, missing?[r.Id] ?? []))],
            rows.Total,
            rows.PageIndex,
            rows.PageSize);
    }

    /// <summary>For each group, the titles of the given courses it is not assigned, in title order.</summary>
    private static async Task<Dictionary<int, IReadOnlyList<string>>> MissingCoursesAsync(
        CertificationsDbContext db, List<int> groupIds, List<int> courseIds, CancellationToken ct)
    {
        var assigned = (await db.GroupCourses.AsNoTracking()
                .Where(gc => groupIds.Contains(gc.GroupId) && courseIds.Contains(gc.CourseId))
                .Select(gc => new { gc.GroupId, gc.CourseId })
                .ToListAsync(ct))
            .ToLookup(gc => gc.GroupId, gc => gc.CourseId);
        var titles = await db.Courses.AsNoTracking().Where(c => courseIds.Contains(c.Id)).OrderBy(c => c.Title)
            .Select(c => new { c.Id, c.Title }).ToListAsync(ct);
        return groupIds.ToDictionary(id => id, IReadOnlyList<string> (id) => [.. titles.Where(t => !assigned[id].Contains(t.Id)).Select(t => t.Title)]);
    }

}
