using Certifications.Core.Catalog;
using Certifications.Core.Persistence;

namespace Certifications.Tests.Infrastructure;

/// <summary>Small catalogs for data tests, written straight to the database.</summary>
public static class TestCatalog
{
    public static async Task<Course> AddCourseAsync(TestDatabase database, string title, int gradedSteps = 2, int ungradedSteps = 0, bool published = true, bool trigger = false)
    {
        await using var db = database.CreateContext();
        var course = new Course { Title = title, IsPublished = published, IsTrigger = trigger };
        for (var i = 0; i < gradedSteps + ungradedSteps; i++)
        {
            course.Steps.Add(new Step { Title = $"{title} step {i + 1}", Position = i + 1, IsGraded = i < gradedSteps });
        }

        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return course;
    }

    public static async Task<Group> AddGroupAsync(TestDatabase database, string name, params Course[] courses)
    {
        await using var db = database.CreateContext();
        var group = new Group { Name = name, Courses = [.. courses.Select(c => new GroupCourse { CourseId = c.Id })] };
        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return group;
    }

    public static async Task<Learner> AddLearnerAsync(CertificationsDbContext db, string name)
    {
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com";
        var learner = new Learner { Name = name, Email = email, NormalizedEmail = email.ToUpperInvariant() };
        db.Learners.Add(learner);
        await db.SaveChangesAsync();
        return learner;
    }
}
