namespace Certifications.Core.Catalog;

/// <summary>A course of the catalog. A trigger course is started by an event and is never part of a certification.</summary>
public sealed class Course
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public bool IsPublished { get; set; }
    public bool IsTrigger { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<Step> Steps { get; set; } = [];
    public List<GroupCourse> Groups { get; set; } = [];
}

/// <summary>A playable step of a course; only graded steps count toward certifications.</summary>
public sealed class Step
{
    public int Id { get; set; }
    public int CourseId { get; set; }
    public Course? Course { get; set; }
    public required string Title { get; set; }
    public int Position { get; set; }
    public bool IsGraded { get; set; }
}
