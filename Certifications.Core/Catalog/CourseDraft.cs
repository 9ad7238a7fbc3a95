namespace Certifications.Core.Catalog;

/// <summary>What the course editor edits: the details and the ordered steps. The service validates it again before saving.</summary>
public sealed class CourseDraft
{
    /// <summary>Null for a course not saved yet.</summary>
    public int? Id { get; set; }

    /// <summary>The version the editor started from; a save from an older version is refused.</summary>
    public Guid? Version { get; set; }

    public string Title { get; set; } = "";
    public bool IsPublished { get; set; }
    public bool IsTrigger { get; set; }

    /// <summary>In the order learners play them.</summary>
    public List<StepDraft> Steps { get; set; } = [];

    public static string NormalizeTitle(string title) => title.Trim().ToUpperInvariant();

    public static CourseDraft From(Course course, IReadOnlyDictionary<int, int>? resultCounts = null)
    {
        ArgumentNullException.ThrowIfNull(course);
        return new CourseDraft
        {
            Id = course.Id,
            Version = course.Version,
            Title = course.Title,
            IsPublished = course.IsPublished,
            IsTrigger = course.IsTrigger,
            Steps =
            [
                .. course.Steps.OrderBy(s => s.Position).ThenBy(s => s.Id).Select(s => new StepDraft
                {
                    Id = s.Id,
                    Title = s.Title,
                    IsGraded = s.IsGraded,
                    ResultCount = resultCounts?.GetValueOrDefault(s.Id) ?? 0,
                }),
            ],
        };
    }
}

/// <summary>One step as the editor shows it.</summary>
public sealed class StepDraft
{
    /// <summary>Null for a step added in this edit.</summary>
    public int? Id { get; set; }

    public string Title { get; set; } = "";
    public bool IsGraded { get; set; }

    /// <summary>Results learners have on it, as read when the editor opened; the service counts again before removing.</summary>
    public int ResultCount { get; set; }
}
