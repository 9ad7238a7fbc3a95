using Certifications.Core.Renewals;

namespace Certifications.Core.Progress;

/// <summary>What a certification asks for. <paramref name="Renewal"/> is null for a one-time certification; the due date applies only then.</summary>
public sealed record CertificationTerms(
    DateOnly EffectiveFrom,
    DateOnly? DueDate,
    decimal MinimumPassingGrade,
    RenewalPolicy? Renewal,
    IReadOnlyList<CourseRequirement> Courses);

/// <summary>What happened to one learner's assignment; <paramref name="GraceDays"/> is the grace in force when they were assigned.</summary>
public sealed record AssignmentFacts(DateTime AssignedAt, int GraceDays, DateTime? WithdrawnAt);

/// <summary>
/// One period as the rules see it: the first completion, then each renewal. <paramref name="ChainIndex"/> is 0 and the
/// dates null while the period is open; <paramref name="CourseGrades"/> holds each course's grade at completion.
/// </summary>
public sealed record ComputedPeriod(
    int Number,
    DateTime WindowStart,
    DateTime? CompletedAt,
    DateTime? ExpiresAt,
    DateTime? ChainStart,
    int ChainIndex,
    IReadOnlyDictionary<int, decimal> CourseGrades);

/// <summary>
/// Where an assignment stands at one instant. <paramref name="Current"/> evaluates the open period, or the last
/// completed one when none is open; the dates come from the last completed period.
/// </summary>
/// <param name="NextTransitionAt">
/// The first instant after the evaluated one at which the standing changes with the clock alone, the facts staying as
/// they are: the start of Effective From while Scheduled, the window opening, the expiry, the end of the due date in
/// the organisation's zone. Null when only new facts (results, a withdrawal) can change it. The scheduler evaluates an
/// assignment again once this instant has come.
/// </param>
public sealed record AssignmentStanding(
    AssignmentStatus Status,
    IReadOnlyList<ComputedPeriod> Periods,
    ProgressEvaluation Current,
    DateTime? DueAt,
    DateTime? ExpiresAt,
    DateTime? WindowOpensAt,
    string Summary,
    DateTime? NextTransitionAt)
{
    public int CoursesSatisfied => Current.CoursesSatisfied;

    public int CoursesRequired => Current.CoursesRequired;
}
