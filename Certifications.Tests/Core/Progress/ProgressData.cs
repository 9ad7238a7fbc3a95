using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Progress;

/// <summary>Certifications, assignments and what became of them, written and read straight from the database.</summary>
internal static class ProgressData
{
    /// <summary>A published certification of the courses, as the admin would have saved it.</summary>
    public static async Task<int> AddCertificationAsync(
        CertificationsDbContext db, string name, IReadOnlyList<int> courseIds, DateOnly effectiveFrom, Action<Certification>? configure = null)
    {
        var certification = new Certification
        {
            Name = name,
            NormalizedName = CertificationDraft.NormalizeName(name),
            EffectiveFrom = effectiveFrom,
            MinimumPassingGrade = 70,
            State = CertificationState.Published,
            Courses = [.. courseIds.Select((id, i) => new CertificationCourse { CourseId = id, Position = i + 1 })],
        };
        configure?.Invoke(certification);
        db.Certifications.Add(certification);
        await db.SaveChangesAsync();
        return certification.Id;
    }

    public static async Task AssignAsync(CertificationsDbContext db, int certificationId, int learnerId, DateTime assignedAt, int graceDays = 0)
    {
        db.Assignments.Add(new Assignment
        {
            CertificationId = certificationId,
            LearnerId = learnerId,
            AssignedAt = assignedAt,
            GraceDays = graceDays,
            StatusChangedAt = assignedAt,
            CoursesRequired = await db.CertificationCourses.CountAsync(cc => cc.CertificationId == certificationId),
            Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = assignedAt }],
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Every assignment with its periods, one line each, in a fixed order: two databases with equal lines hold the same progress.</summary>
    public static async Task<List<string>> DescribeAsync(CertificationsDbContext db)
    {
        var assignments = await db.Assignments.AsNoTracking()
            .Include(a => a.Periods).ThenInclude(p => p.CourseGrades)
            .OrderBy(a => a.CertificationId).ThenBy(a => a.LearnerId)
            .AsSplitQuery()
            .ToListAsync();
        return
        [
            .. assignments.Select(a => FormattableString.Invariant(
                $"cert {a.CertificationId} learner {a.LearnerId}: {a.Status} {a.CoursesSatisfied}/{a.CoursesRequired}; ") + string.Join(" | ", a.Periods
                .OrderBy(p => p.Number)
                .Select(p => FormattableString.Invariant(
                    $"#{p.Number} window {p.WindowStart:o} completed {p.CompletedAt:o} expires {p.ExpiresAt:o} chain {p.ChainStart:o}/{p.ChainIndex} by {p.Source} {p.CompletionRecordId} grades ") + string.Join(
                    ",", p.CourseGrades.OrderBy(g => g.CourseId).Select(g => FormattableString.Invariant($"{g.CourseId}={g.Grade}")))))),
        ];
    }
}
