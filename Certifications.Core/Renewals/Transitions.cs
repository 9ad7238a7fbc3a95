using Certifications.Core.Enrollment;
using Certifications.Core.Progress;

namespace Certifications.Core.Renewals;

/// <summary>The time-driven transitions the scheduler marks, named by what they mean to the learner.</summary>
public enum TransitionKind
{
    /// <summary>Scheduled to active: Effective From has come.</summary>
    Started,

    /// <summary>The renewal window opened: replays count toward the next period.</summary>
    ExpiringSoon,

    /// <summary>Expired without renewal: the courses are to be completed again, in the period the window opened.</summary>
    RenewalDue,

    /// <summary>A one-time certification not completed by the end of its due date.</summary>
    Overdue,

    /// <summary>A withdrawn assignment's last certification ran out: Certified to Withdrawn.</summary>
    Expired,

    /// <summary>Any other change of status at one of the rules' instants.</summary>
    Other,
}

/// <summary>How a sweep came to run.</summary>
public enum SweepTrigger
{
    /// <summary>Once each time the portal starts.</summary>
    StartUp,

    /// <summary>The configured schedule.</summary>
    Schedule,

    /// <summary>An admin asked for it.</summary>
    RunNow,

    /// <summary>A scheduled run fired late (the portal was down or busy), or a run a crash interrupted, recovered.</summary>
    CatchUp,
}

/// <summary>
/// One change of an assignment's status that the clock made, recorded in the transaction that stored it: from, to, the
/// instant it took effect by the rules (not when it was noticed), and the sweep run that recorded it (none when
/// another evaluation, such as results arriving, came to it first).
/// </summary>
public sealed class AssignmentTransition
{
    public long Id { get; set; }
    public int AssignmentId { get; set; }
    public Assignment? Assignment { get; set; }
    public AssignmentStatus From { get; set; }
    public AssignmentStatus To { get; set; }
    public TransitionKind Kind { get; set; }

    /// <summary>UTC instant the rules put the change at: the start of Effective From, the window opening, the expiry, the end of the due date.</summary>
    public DateTime EffectiveAt { get; set; }

    /// <summary>UTC instant it was recorded; later than <see cref="EffectiveAt"/> by up to the schedule's interval, or by the downtime.</summary>
    public DateTime RecordedAt { get; set; }
    public long? RunId { get; set; }
    public SweepRun? Run { get; set; }

    public static TransitionKind KindOf(AssignmentStatus from, AssignmentStatus to) => (from, to) switch
    {
        (AssignmentStatus.Scheduled, not AssignmentStatus.Withdrawn) => TransitionKind.Started,
        (_, AssignmentStatus.ExpiringSoon) => TransitionKind.ExpiringSoon,
        (_, AssignmentStatus.RenewalDue) => TransitionKind.RenewalDue,
        (_, AssignmentStatus.Overdue) => TransitionKind.Overdue,
        (AssignmentStatus.Certified, AssignmentStatus.Withdrawn) => TransitionKind.Expired,
        _ => TransitionKind.Other,
    };
}

/// <summary>
/// One run of the renewal sweep: when, why, how far it got and what it changed. The counts are written in each batch's
/// transaction, so they always match the transitions committed; a run the process died in keeps no finish.
/// </summary>
public sealed class SweepRun
{
    public long Id { get; set; }
    public SweepTrigger Trigger { get; set; }

    /// <summary>The instant the run evaluates every assignment at, fixed for the whole run.</summary>
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int AssignmentsEvaluated { get; set; }
    public int AssignmentsChanged { get; set; }
    public int Started { get; set; }
    public int ExpiringSoon { get; set; }
    public int RenewalDue { get; set; }
    public int Overdue { get; set; }
    public int Expired { get; set; }
    public int Other { get; set; }

    /// <summary>Why the run did not finish, when it did not.</summary>
    public string? Error { get; set; }
}
