using Certifications.Core.Certifications;
using Certifications.Core.Progress;

namespace Certifications.Core.Enrollment;

/// <summary>
/// A learner's profile panel. <paramref name="IsOwnPanel"/> is true when the learner is looking at it themselves: only
/// then is an available certification theirs to start.
/// </summary>
public sealed record LearnerPanel(
    int LearnerId,
    string Name,
    string Email,
    string? ManagerName,
    bool IsOwnPanel,
    IReadOnlyList<PanelCertification> Certifications,
    IReadOnlyList<PanelRetiredCompletion> NoLongerOffered,
    IReadOnlyList<PanelAvailableCertification> Available);

/// <summary>
/// One assignment of a published certification as the rules see it now. Dates are calendar dates in the organisation's
/// zone; <paramref name="Courses"/> is the open period (the renewal under way) or, when none is open, the last completed one,
/// and <paramref name="CountsFrom"/> the day results start counting toward it.
/// </summary>
public sealed record PanelCertification(
    int AssignmentId,
    int CertificationId,
    string Name,
    string? Description,
    bool IsInvisible,
    AssignmentStatus Status,
    string Summary,
    int CoursesSatisfied,
    int CoursesRequired,
    decimal MinimumPassingGrade,
    int? RenewalPeriodMonths,
    DateOnly EffectiveFrom,
    DateOnly CountsFrom,
    DateOnly? DueDate,
    DateOnly? CompletedOn,
    DateOnly? ExpiresOn,
    DateOnly? RenewalWindowOpensOn,
    DateOnly? WithdrawnOn,
    IReadOnlyList<PanelCourse> Courses,
    IReadOnlyList<PanelPeriod> History)
{
    public bool IsRenewing => RenewalPeriodMonths is not null;

    /// <summary>What admins recorded on this assignment (completions they marked or imported, revocations, a due date, an exemption), with who and why.</summary>
    public IReadOnlyList<string> Corrections { get; init; } = [];

    /// <summary>The files attached as evidence to those completions, for an admin and for the learner themself to download.</summary>
    public IReadOnlyList<PanelEvidence> Evidence { get; init; } = [];
}

/// <summary>A file attached as evidence to a completion record, downloaded by the record's id.</summary>
public sealed record PanelEvidence(long RecordId, string FileName);

/// <summary>
/// One course against the minimum: <paramref name="Grade"/> is null while no graded step has a result in the window.
/// <paramref name="Reason"/> says why the course stands where it does, and <paramref name="Results"/> every result on its
/// steps with what the rules made of it, latest first: the answer to "why is this learner not certified?".
/// </summary>
public sealed record PanelCourse(
    int CourseId,
    string Title,
    decimal? Grade,
    decimal MinimumPassingGrade,
    bool IsSatisfied,
    int GradedSteps,
    int GradedStepsWithResult,
    CourseVerdict Verdict,
    string Reason,
    IReadOnlyList<PanelResult> Results);

/// <summary>
/// One result on a step of the course: counted, or why not. <paramref name="CompletedAt"/> is the wall-clock time in the
/// organisation's zone.
/// </summary>
public sealed record PanelResult(long ResultId, string StepTitle, decimal Score, DateTime CompletedAt, ResultVerdict Verdict, string Reason);

/// <summary>A completed period: the first completion or a renewal, with each course's grade at completion.</summary>
public sealed record PanelPeriod(int Number, DateOnly CompletedOn, DateOnly? ExpiresOn, bool HasExpired, IReadOnlyList<PanelPeriodGrade> Grades)
{
    /// <summary>Results, or the kind of completion record that completed the period.</summary>
    public CompletionSource Source { get; init; }
}

public sealed record PanelPeriodGrade(string CourseTitle, decimal Grade);

/// <summary>A completion the learner keeps although the certification was retired or deleted, with the name it had.</summary>
public sealed record PanelRetiredCompletion(
    int CertificationId,
    string Name,
    bool IsInvisible,
    CertificationState State,
    DateOnly? NoLongerOfferedSince,
    IReadOnlyList<PanelPeriod> Periods);

/// <summary>
/// A published, visible certification without target groups: open to any learner who starts it. <paramref name="StartsOn"/>
/// is its Effective From while that is still to come.
/// </summary>
public sealed record PanelAvailableCertification(
    int CertificationId,
    string Name,
    string? Description,
    int? RenewalPeriodMonths,
    DateOnly? StartsOn,
    DateOnly? DueDate,
    decimal MinimumPassingGrade,
    IReadOnlyList<string> CourseTitles);
