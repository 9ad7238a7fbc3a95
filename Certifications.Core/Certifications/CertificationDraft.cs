namespace Certifications.Core.Certifications;

/// <summary>What the wizard edits: every field of the four steps. The service validates it again before saving.</summary>
public sealed class CertificationDraft
{
    /// <summary>Null for a certification not saved yet.</summary>
    public int? Id { get; set; }

    /// <summary>The version the editor started from; a save from an older version is refused.</summary>
    public Guid? Version { get; set; }

    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool IsInvisible { get; set; }
    public DateOnly? EffectiveFrom { get; set; }
    public DateOnly? DueDate { get; set; }
    public int GraceDays { get; set; }
    public bool RenewalRequired { get; set; }
    public int? RenewalPeriodMonths { get; set; }
    public int RenewalWindowDays { get; set; } = Certification.DefaultRenewalWindowDays;
    public RenewalAnchor RenewalAnchor { get; set; } = RenewalAnchor.PreviousExpiry;
    public decimal MinimumPassingGrade { get; set; } = 70;

    /// <summary>"Due in N days": days before a one-time due date learners and their managers are reminded.</summary>
    public int ReminderDays { get; set; } = Notifications.NotificationSettings.DefaultReminderDays;

    /// <summary>Which events notify learners and managers.</summary>
    public Notifications.NotificationEvents NotificationEvents { get; set; } = Notifications.NotificationEvents.All;
    public List<int> CourseIds { get; set; } = [];
    public List<int> GroupIds { get; set; } = [];

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();

    public static CertificationDraft From(Certification certification)
    {
        ArgumentNullException.ThrowIfNull(certification);
        return new CertificationDraft
        {
            Id = certification.Id,
            Version = certification.Version,
            Name = certification.Name,
            Description = certification.Description,
            IsInvisible = certification.IsInvisible,
            EffectiveFrom = certification.EffectiveFrom,
            DueDate = certification.DueDate,
            GraceDays = certification.GraceDays,
            RenewalRequired = certification.RenewalRequired,
            RenewalPeriodMonths = certification.RenewalPeriodMonths,
            RenewalWindowDays = certification.RenewalWindowDays,
            RenewalAnchor = certification.RenewalAnchor,
            MinimumPassingGrade = certification.MinimumPassingGrade,
            ReminderDays = certification.ReminderDays,
            NotificationEvents = certification.NotificationEvents,
            CourseIds = [.. certification.Courses.OrderBy(c => c.Position).Select(c => c.CourseId)],
            GroupIds = [.. certification.TargetGroups.Select(g => g.GroupId)],
        };
    }
}
