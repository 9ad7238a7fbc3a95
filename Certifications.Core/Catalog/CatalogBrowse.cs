using Certifications.Core.Certifications;
using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Catalog;

public sealed record CourseRow(int Id, string Title, bool IsPublished, bool IsTrigger, int StepCount, int GradedStepCount, int GroupCount, int CertificationCount);

public sealed record GroupRow(int Id, string Name, int MemberCount, IReadOnlyList<string> Courses);

public sealed record LearnerRow(int Id, string Name, string Email, string? ManagerName, IReadOnlyList<string> Groups, int AssignmentCount);

/// <summary>The admin's catalog lists: searched and paged in the database.</summary>
public sealed class CatalogBrowse(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard)
{
    public const int MaxPageSize = 200;

    public async Task<Page<CourseRow>> CoursesAsync(Actor actor, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.Courses.AsNoTracking();
        if (SearchPattern.Contains(search) is { } pattern)
        {
            query = query.Where(c => SearchPattern.Matches(c.Title, pattern));
        }

        return await query.OrderBy(c => c.Title).ToPageAsync(page, pageSize, MaxPageSize, c => new CourseRow(
            c.Id, c.Title, c.IsPublished, c.IsTrigger, c.Steps.Count, c.Steps.Count(s => s.IsGraded), c.Groups.Count,
            db.CertificationCourses.Count(cc => cc.CourseId == c.Id && cc.Certification!.State != CertificationState.Deleted)), ct);
    }

    public async Task<Page<GroupRow>> GroupsAsync(Actor actor, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.Groups.AsNoTracking();
        if (SearchPattern.Contains(search) is { } pattern)
        {
            query = query.Where(g => SearchPattern.Matches(g.Name, pattern));
        }

        return await query.OrderBy(g => g.Name).ToPageAsync(page, pageSize, MaxPageSize, g => new GroupRow(
            g.Id, g.Name, g.Members.Count, g.Courses.Select(gc => gc.Course!.Title).OrderBy(t => t).ToList()), ct);
    }

    public async Task<Page<LearnerRow>> LearnersAsync(Actor actor, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "the catalog", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.Learners.AsNoTracking();
        if (SearchPattern.Contains(search) is { } pattern)
        {
            query = query.Where(l => SearchPattern.Matches(l.Name, pattern) || SearchPattern.Matches(l.Email, pattern));
        }

        return await query.OrderBy(l => l.Name).ThenBy(l => l.Id).ToPageAsync(page, pageSize, MaxPageSize, l => new LearnerRow(
            l.Id, l.Name, l.Email, l.Manager == null ? null : l.Manager.Name,
            l.Groups.Select(m => m.Group!.Name).OrderBy(n => n).ToList(),
            db.Assignments.Count(a => a.LearnerId == l.Id && a.WithdrawnAt == null)), ct);
    }
}
