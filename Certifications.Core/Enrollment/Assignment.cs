using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Progress;

namespace Certifications.Core.Enrollment;

/// <summary>A learner holding a certification, through one or more sources.</summary>
public sealed class Assignment
{
    public int Id { get; set; }
    public int CertificationId { get; set; }
    public Certification? Certification { get; set; }
    public int LearnerId { get; set; }
    public Learner? Learner { get; set; }

    /// <summary>UTC instant the learner was first assigned.</summary>
    public DateTime AssignedAt { get; set; }

    /// <summary>The certification's grace period in force at assignment; later changes to it never touch this learner.</summary>
    public int GraceDays { get; set; }

    /// <summary>Status as last evaluated, kept for lists and filters; the rules recompute it from the facts.</summary>
    public AssignmentStatus Status { get; set; } = AssignmentStatus.NotStarted;
    public int CoursesSatisfied { get; set; }
    public int CoursesRequired { get; set; }
    public DateTime StatusChangedAt { get; set; }

    /// <summary>When the status next changes with the clock alone (see <see cref="AssignmentStanding.NextTransitionAt"/>); the scheduler's selection.</summary>
    public DateTime? NextTransitionAt { get; set; }
    public DateTime? WithdrawnAt { get; set; }

    /// <summary>A due date an admin set for this learner, replacing the certification's; who set it and why.</summary>
    public DateOnly? DueDateOverride { get; set; }
    public string? DueDateReason { get; set; }
    public string? DueDateSetBy { get; set; }

    /// <summary>Set while an admin has exempted the learner: from when, until the end of which day (none: until lifted), why, by whom.</summary>
    public DateTime? ExemptSince { get; set; }
    public DateOnly? ExemptUntil { get; set; }
    public string? ExemptReason { get; set; }
    public string? ExemptBy { get; set; }
    public List<AssignmentSource> Sources { get; set; } = [];
    public List<Period> Periods { get; set; } = [];

    /// <summary>The assignment's facts as the rules take them.</summary>
    public AssignmentFacts Facts() => new(AssignedAt, GraceDays, WithdrawnAt)
    {
        DueDate = DueDateOverride,
        Exemption = ExemptSince is { } since ? new Exemption(since, ExemptUntil, ExemptReason ?? "", ExemptBy ?? "") : null,
    };
}

public enum AssignmentSourceKind
{
    Group,
    Individual,
    SelfStarted,
}

public sealed class AssignmentSource
{
    public int Id { get; set; }
    public int AssignmentId { get; set; }
    public Assignment? Assignment { get; set; }
    public AssignmentSourceKind Kind { get; set; }

    /// <summary>The targeted group, for a group source.</summary>
    public int? GroupId { get; set; }
    public Group? Group { get; set; }
    public DateTime AddedAt { get; set; }
}
