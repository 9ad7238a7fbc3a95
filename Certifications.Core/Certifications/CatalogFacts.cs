namespace Certifications.Core.Certifications;

public sealed record CourseFact(int Id, string Title, bool IsPublished, bool IsTrigger, int StepCount, int GradedStepCount);

public sealed record GroupFact(int Id, string Name, IReadOnlySet<int> CourseIds);

/// <summary>What the certification rules need to know about the catalog and about other certifications.</summary>
public sealed record CatalogFacts(
    IReadOnlyDictionary<int, CourseFact> Courses,
    IReadOnlyDictionary<int, GroupFact> Groups,
    IReadOnlySet<string> NamesInUse)
{
    public static CatalogFacts Empty { get; } = new(new Dictionary<int, CourseFact>(), new Dictionary<int, GroupFact>(), new HashSet<string>());

    /// <summary>The included courses a group is not assigned, in the order given: empty when the group may be targeted.</summary>
    public IReadOnlyList<CourseFact> MissingCourses(int groupId, IEnumerable<int> courseIds)
    {
        ArgumentNullException.ThrowIfNull(courseIds);
        if (!Groups.TryGetValue(groupId, out var group))
        {
            return [];
        }

        return [.. courseIds.Where(id => !group.CourseIds.Contains(id) && Courses.ContainsKey(id)).Select(id => Courses[id])];
    }
}
