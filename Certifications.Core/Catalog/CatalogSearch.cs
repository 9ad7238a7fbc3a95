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
            courses = courses.Where(c => EF.Functions.Like(c.Title, pattern, SearchPattern.Escape));
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
            groups = groups.Where(g => EF.Functions.Like(g.Name, pattern, SearchPattern.Escape));
        }

        var ids = includedCourseIds.Distinct().ToList();
        var rows = await groups.OrderBy(g => g.Name).ToPageAsync(page, pageSize, MaxPageSize, g => new { g.Id, g.Name, Members = g.Members.Count }, ct);
        var rowIds = rows.Items.Select(r => r.Id).ToList();
        var assigned = (await db.GroupCourses.AsNoTracking()
                .Where(gc => rowIds.Contains(gc.GroupId) && ids.Contains(gc.CourseId))
                .Select(gc => new { gc.GroupId, gc.CourseId })
                .ToListAsync(ct))
            .ToLookup(gc => gc.GroupId, gc => gc.CourseId);
        var titles = await db.Courses.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Title)
            .Select(c => new { c.Id, c.Title }).ToListAsync(ct);
        return new Page<GroupOption>(
            [.. rows.Items.Select(r => new GroupOption(r.Id, r.Name, r.Members, [.. titles.Where(t => !assigned[r.Id].Contains(t.Id)).Select(t => t.Title)]))],
            rows.Total,
            rows.PageIndex,
            rows.PageSize);
    }

}
