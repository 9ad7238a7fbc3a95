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

/// <summary>
/// Why a result counted or not. The reason is written when first read: the rules explain every result on every
/// evaluation, and only the pages showing them read the words (a recompute or a sweep evaluates millions and reads none).
/// Equal when they say the same about the same result.
/// </summary>
public sealed record ResultExplanation(ResultFact Result, int? CourseId, ResultVerdict Verdict)
{
    private readonly Func<string>? describe;
    private string? reason;

    public ResultExplanation(ResultFact result, int? courseId, ResultVerdict verdict, string reason)
        : this(result, courseId, verdict) => this.reason = reason;

    internal ResultExplanation(ResultFact result, int? courseId, ResultVerdict verdict, Func<string> describe)
        : this(result, courseId, verdict) => this.describe = describe;

    public string Reason => reason ??= describe!();

    public bool Equals(ResultExplanation? other) =>
        other is not null && Result == other.Result && CourseId == other.CourseId && Verdict == other.Verdict && Reason == other.Reason;

    public override int GetHashCode() => HashCode.Combine(Result, CourseId, Verdict);
}

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
    IReadOnlyList<ResultExplanation> Results)
{
    private readonly Func<string>? describe;
    private string? reason;

    /// <summary>The verdict in words, written when first read, as a result's reason is.</summary>
    public string Reason
    {
        get => reason ??= describe!();
        init => reason = value;
    }

    internal Func<string> Describe
    {
        init => describe = value;
    }

    public bool Equals(CourseEvaluation? other) =>
        other is not null && CourseId == other.CourseId && Title == other.Title && Grade == other.Grade
        && MinimumPassingGrade == other.MinimumPassingGrade && IsSatisfied == other.IsSatisfied && SatisfiedAt == other.SatisfiedAt
        && GradedSteps == other.GradedSteps && GradedStepsWithResult == other.GradedStepsWithResult && Verdict == other.Verdict
        && Reason == other.Reason && Results.SequenceEqual(other.Results);

    public override int GetHashCode() => HashCode.Combine(CourseId, Grade, IsSatisfied, SatisfiedAt, Verdict);
}

/// <summary>All courses of a certification over one counting window.</summary>
public sealed record ProgressEvaluation(DateTime WindowStart, IReadOnlyList<CourseEvaluation> Courses, DateTime? CompletedAt)
{
    public int CoursesRequired => Courses.Count;

    public int CoursesSatisfied => Courses.Count(c => c.IsSatisfied);

    public bool IsComplete => CompletedAt is not null;

    /// <summary>Results on steps of no included course, kept so that nothing sent disappears without a reason.</summary>
    public IReadOnlyList<ResultExplanation> Unmatched { get; init; } = [];
}
