using System.Text.Json.Serialization;
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
public sealed record AssignmentFacts(DateTime AssignedAt, int GraceDays, DateTime? WithdrawnAt)
{
    /// <summary>A due date an admin set for this learner: it replaces the certification's, and applies to a renewing certification's first completion too.</summary>
    public DateOnly? DueDate { get; init; }

    /// <summary>Set when an admin exempted the learner: the assignment reads Exempt while it lasts.</summary>
    public Exemption? Exemption { get; init; }
}

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
    IReadOnlyDictionary<int, decimal> CourseGrades)
{
    /// <summary>Results, or the kind of completion record that completed the period.</summary>
    public CompletionSource Source { get; init; }

    /// <summary>The completion record that completed the period, when one did.</summary>
    public long? CompletionRecordId { get; init; }

    /// <summary>The record's evidence, for the explanation.</summary>
    public string? Evidence { get; init; }
}

/// <summary>
/// Where an assignment stands at one instant. <paramref name="Current"/> evaluates the open period, or the last
/// completed one when none is open; the dates come from the last completed period.
/// </summary>
/// <param name="Describe">
/// Writes <see cref="Summary"/>, once, when it is first read. Two standings that say the same thing hold different
/// writers, so they are compared by their members (status, periods, dates), not as records.
/// </param>
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
    [property: JsonIgnore] Func<string> Describe,
    DateTime? NextTransitionAt)
{
    private string? summary;

    /// <summary>
    /// The standing in one sentence, as the learner's panel and the API show it. Written when first read: the sweep, result
    /// ingestion and the recompute evaluate hundreds of thousands of standings (the sweep several per assignment, one
    /// per instant it walks) and store their status, never their sentence.
    /// </summary>
    public string Summary => summary ??= Describe();

    /// <summary>
    /// The first recorded period derived again because the completion record that completed it was revoked, or the
    /// first the replay no longer reaches after a period before it was derived again: that period and every one after
    /// it follow the facts as they are now, so a stored period from there on that the standing no longer has is removed.
    /// </summary>
    public int? RederivedFrom { get; init; }

    /// <summary>
    /// Evaluated from part of the results (see <see cref="AssignmentRules.Evaluate"/>'s <c>resultsFrom</c>), the
    /// standing had to derive a period in a window whose results were not all read: it is to be evaluated again with
    /// every result. When false, its status, periods and next transition are exact; <see cref="Current"/> (the progress
    /// and the summary) is exact unless its window opens before the results read.
    /// </summary>
    public bool NeedsEarlierResults { get; init; }

    public int CoursesSatisfied => Current.CoursesSatisfied;

    public int CoursesRequired => Current.CoursesRequired;
}
