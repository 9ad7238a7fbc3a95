namespace Certifications.Core.Notifications;

/// <summary>What a notification tells, one per status change (or reminder) that people are told about.</summary>
public enum NotificationKind
{
    /// <summary>The learner holds the certification now (or again, after a withdrawal).</summary>
    Assigned,

    /// <summary>A one-time certification is due in the certification's reminder days and not completed yet.</summary>
    DueSoon,

    /// <summary>A one-time certification's due date ended before it was completed.</summary>
    Overdue,

    /// <summary>A renewing certification's renewal window opened: replays count toward the next period.</summary>
    RenewalWindowOpen,

    /// <summary>A renewing certification expired without renewal.</summary>
    RenewalDue,

    /// <summary>The first period was completed.</summary>
    Completed,

    /// <summary>A later period was completed: the certification was renewed.</summary>
    Renewed,

    /// <summary>The learner no longer holds an unfinished certification.</summary>
    Withdrawn,
}

/// <summary>Which notifications a certification sends; a certification without its own choice follows the portal's.</summary>
[Flags]
#pragma warning disable CA1711 // "Events" names what the flags are: the events that notify.
public enum NotificationEvents
#pragma warning restore CA1711
{
    None = 0,
    Assigned = 1,
    DueSoon = 2,
    Overdue = 4,
    RenewalWindowOpen = 8,
    RenewalDue = 16,

    /// <summary>Completed and renewed.</summary>
    Completed = 32,
    Withdrawn = 64,
    All = Assigned | DueSoon | Overdue | RenewalWindowOpen | RenewalDue | Completed | Withdrawn,
}

/// <summary>Where a notification's email stands.</summary>
public enum EmailDelivery
{
    /// <summary>Waiting for the sender (or for its next attempt after a failure).</summary>
    Pending,
    Sent,

    /// <summary>Every attempt failed; the last error is kept.</summary>
    Failed,

    /// <summary>Email was off when it was recorded, or the recipient has no address: shown in the portal only.</summary>
    NotSent,
}

/// <summary>
/// One notification to one person, recorded in the transaction of the change that causes it (the outbox), unique by
/// recipient, learner, certification, kind and occurrence so that it is recorded once whatever runs it twice. It is
/// shown in the portal at once and mailed by the sender, which claims it, retries with backoff and marks it sent.
/// </summary>
public sealed class Notification
{
    public const int OccurrenceMaxLength = 40;
    public const int LastErrorMaxLength = 1000;

    public long Id { get; set; }

    /// <summary>The learner told: the learner concerned, or their manager.</summary>
    public int RecipientId { get; set; }

    /// <summary>The learner whose assignment it is about.</summary>
    public int LearnerId { get; set; }
    public int CertificationId { get; set; }
    public NotificationKind Kind { get; set; }

    /// <summary>Which time this kind happens to this assignment: a period number or an instant, so a second one is a new notification.</summary>
    public required string Occurrence { get; set; }

    /// <summary>UTC instant the event took effect by the rules.</summary>
    public DateTime EffectiveAt { get; set; }

    /// <summary>The date that matters to the reader: the due date's end, the expiry, the next expiry after a completion.</summary>
    public DateTime? DeadlineAt { get; set; }
    public DateTime RecordedAt { get; set; }
    public DateTime? ReadAt { get; set; }

    public EmailDelivery Email { get; set; }
    public int Attempts { get; set; }

    /// <summary>When the sender may take it next: set while pending (a claim moves it past the claim's lease), null otherwise.</summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }

    public bool IsManagerCopy => RecipientId != LearnerId;
}
