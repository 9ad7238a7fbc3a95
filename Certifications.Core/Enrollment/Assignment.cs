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
    public List<AssignmentSource> Sources { get; set; } = [];
    public List<Period> Periods { get; set; } = [];
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
