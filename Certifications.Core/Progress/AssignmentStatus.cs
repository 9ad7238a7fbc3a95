namespace Certifications.Core.Progress;

public enum AssignmentStatus
{
    /// <summary>Before the certification's Effective From date.</summary>
    Scheduled,
    NotStarted,
    InProgress,

    /// <summary>A one-time certification, completed.</summary>
    Completed,

    /// <summary>A renewing certification, completed and not yet in its renewal window.</summary>
    Certified,

    /// <summary>The renewal window is open: replays count toward the next period.</summary>
    ExpiringSoon,

    /// <summary>Expired and not yet renewed.</summary>
    RenewalDue,

    /// <summary>A one-time certification past its due date and not completed.</summary>
    Overdue,
    Withdrawn,

    /// <summary>An admin exempted the learner: the certification is not required of them while the exemption lasts.</summary>
    Exempt,
}
