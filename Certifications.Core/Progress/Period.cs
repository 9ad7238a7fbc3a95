using Certifications.Core.Enrollment;

namespace Certifications.Core.Progress;

/// <summary>
/// One period of an assignment: the first completion, then each renewal. Periods are appended, never rewritten,
/// so a learner's history survives renewals, retirement and deletion of the certification.
/// </summary>
public sealed class Period
{
    public int Id { get; set; }
    public int AssignmentId { get; set; }
    public Assignment? Assignment { get; set; }

    /// <summary>1 for the first completion, then one more per renewal.</summary>
    public int Number { get; set; }

    /// <summary>UTC instant from which results count toward this period.</summary>
    public DateTime WindowStart { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }

    /// <summary>Start of the renewal chain this period belongs to; expiries are counted from it so no drift builds up.</summary>
    public DateTime? ChainStart { get; set; }

    /// <summary>Position of this period in its chain (1 = the completion that started it).</summary>
    public int ChainIndex { get; set; }

    /// <summary>Results, or the kind of completion record that completed the period (imported history, an admin's override).</summary>
    public CompletionSource Source { get; set; }

    /// <summary>The completion record that completed the period, when one did; its revocation re-derives the period.</summary>
    public long? CompletionRecordId { get; set; }
    public List<PeriodCourseGrade> CourseGrades { get; set; } = [];
}

public sealed class PeriodCourseGrade
{
    public int PeriodId { get; set; }
    public Period? Period { get; set; }
    public int CourseId { get; set; }
    public decimal Grade { get; set; }
}
