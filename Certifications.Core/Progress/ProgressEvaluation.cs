namespace Certifications.Core.Progress;

public sealed record StepRequirement(int StepId, string Title, bool IsGraded);

public sealed record CourseRequirement(int CourseId, string Title, IReadOnlyList<StepRequirement> Steps);

/// <summary>One attempt at a step: a score from 0 to 100 and the UTC instant it was completed.</summary>
public sealed record ResultFact(long Id, int StepId, decimal Score, DateTime CompletedAt);

public enum ResultVerdict
{
    /// <summary>The best score on a graded step within the counting window.</summary>
    Counted,
    BeforeWindow,
    AfterWithdrawal,
    UngradedStep,

    /// <summary>In the window, but another result on the same step is better (or as good and earlier).</summary>
    Superseded,
    NotInCertification,
}

public sealed record ResultExplanation(ResultFact Result, int? CourseId, ResultVerdict Verdict, string Reason);

public enum CourseVerdict
{
    Satisfied,
    BelowMinimum,
    MissingSteps,
    NoGradedSteps,
}

/// <summary>
/// One course against the minimum passing grade. <paramref name="Grade"/> is the mean over all graded steps of the
/// best score in the window, a step without a result counting 0, and null while no graded step has a result.
/// </summary>
public sealed record CourseEvaluation(
    int CourseId,
    string Title,
    decimal? Grade,
    decimal MinimumPassingGrade,
    bool IsSatisfied,
    DateTime? SatisfiedAt,
    int GradedSteps,
    int GradedStepsWithResult,
    CourseVerdict Verdict,
    string Reason,
    IReadOnlyList<ResultExplanation> Results);

/// <summary>All courses of a certification over one counting window.</summary>
public sealed record ProgressEvaluation(DateTime WindowStart, IReadOnlyList<CourseEvaluation> Courses, DateTime? CompletedAt)
{
    public int CoursesRequired => Courses.Count;

    public int CoursesSatisfied => Courses.Count(c => c.IsSatisfied);

    public bool IsComplete => CompletedAt is not null;

    /// <summary>Results on steps of no included course, kept so that nothing sent disappears without a reason.</summary>
    public IReadOnlyList<ResultExplanation> Unmatched { get; init; } = [];
}
