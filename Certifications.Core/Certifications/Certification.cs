namespace Certifications.Core.Certifications;

public enum CertificationState
{
    Draft,
    Published,
    Retired,
    Deleted,
}

/// <summary>From where the next expiry of a renewing certification is counted.</summary>
public enum RenewalAnchor
{
    /// <summary>From the previous expiry when renewed in time: the anniversary is kept and renewing early costs nothing.</summary>
    PreviousExpiry,

    /// <summary>Always from the completion date of the renewal.</summary>
    CompletionDate,
}

public sealed class Certification
{
    public const int DefaultRenewalWindowDays = 30;

    public int Id { get; set; }

    // Step 1: details.
    public required string Name { get; set; }

    /// <summary>Upper-cased trimmed name: unique among certifications that are not deleted.</summary>
    public string NormalizedName { get; set; } = "";
    public string? Description { get; set; }
    public bool IsInvisible { get; set; }

    // Step 2: timing and renewal.
    public DateOnly EffectiveFrom { get; set; }
    public DateOnly? DueDate { get; set; }
    public int GraceDays { get; set; }
    public bool RenewalRequired { get; set; }
    public int? RenewalPeriodMonths { get; set; }
    public int RenewalWindowDays { get; set; } = DefaultRenewalWindowDays;
    public RenewalAnchor RenewalAnchor { get; set; } = RenewalAnchor.PreviousExpiry;

    /// <summary>"Due in N days": how many days before a one-time due date learners and managers are reminded.</summary>
    public int ReminderDays { get; set; } = Notifications.NotificationSettings.DefaultReminderDays;

    /// <summary>Which events notify learners and managers; new certifications take the portal's defaults.</summary>
    public Notifications.NotificationEvents NotificationEvents { get; set; } = Notifications.NotificationEvents.All;

    // Step 3: course requirements.
    public decimal MinimumPassingGrade { get; set; }
    public List<CertificationCourse> Courses { get; set; } = [];

    // Step 4: enrolment requirements.
    public List<CertificationGroup> TargetGroups { get; set; } = [];

    public CertificationState State { get; set; } = CertificationState.Draft;

    /// <summary>Concurrency token renewed on every save: a save made from a stale copy is refused.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime? RetiredAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

public sealed class CertificationCourse
{
    public int CertificationId { get; set; }
    public Certification? Certification { get; set; }
    public int CourseId { get; set; }
    public Catalog.Course? Course { get; set; }
    public int Position { get; set; }
}

public sealed class CertificationGroup
{
    public int CertificationId { get; set; }
    public Certification? Certification { get; set; }
    public int GroupId { get; set; }
    public Catalog.Group? Group { get; set; }
}
