namespace Certifications.Core.Catalog;

public sealed class Group
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<GroupMember> Members { get; set; } = [];
    public List<GroupCourse> Courses { get; set; } = [];
}

public sealed class GroupMember
{
    public int GroupId { get; set; }
    public Group? Group { get; set; }
    public int LearnerId { get; set; }
    public Learner? Learner { get; set; }
    public DateTime JoinedAt { get; set; }
}

/// <summary>A course assigned to a group. A group can be targeted by a certification only when it has all its courses.</summary>
public sealed class GroupCourse
{
    public int GroupId { get; set; }
    public Group? Group { get; set; }
    public int CourseId { get; set; }
    public Course? Course { get; set; }
}
