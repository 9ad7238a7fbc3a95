using System.Globalization;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;

namespace Certifications.Portal.Components.Shared.Panel;

/// <summary>The dates a learner cares about, in plain words, as the panel writes them.</summary>
internal static class PanelWords
{
    public static string Date(DateOnly date) => ProgressText.Date(date);

    /// <summary>A wall-clock time in the organisation's zone; seconds only when they matter.</summary>
    public static string Instant(DateTime local) =>
        local.ToString(local.Second == 0 && local.Millisecond == 0 ? "d MMM yyyy HH:mm" : "d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Verdict(ResultVerdict verdict) => verdict switch
    {
        ResultVerdict.Counted => "Counted",
        ResultVerdict.Superseded => "Superseded",
        ResultVerdict.BeforeWindow => "Before the window",
        ResultVerdict.AfterWithdrawal => "After withdrawal",
        ResultVerdict.UngradedStep => "Ungraded step",
        _ => "Not in this certification",
    };

    /// <summary>The rules' rounding, with a no-break space so that a narrow column never splits "91.75" from "%".</summary>
    public static string Percent(decimal value) => ProgressText.Percent(value).Replace(' ', '\u00A0');

    /// <summary>The one line that says what is due, or until when the learner is certified.</summary>
    public static string KeyDates(PanelCertification item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var due = item.DueDate is { } d ? $"Due {Date(d)}" : null;
        return item.Status switch
        {
            AssignmentStatus.Scheduled when item.CountsFrom < item.EffectiveFrom =>
                Join($"Starts {Date(item.EffectiveFrom)}; results from {Date(item.CountsFrom)} on already count", due),
            AssignmentStatus.Scheduled => Join($"Starts {Date(item.EffectiveFrom)}", due),
            AssignmentStatus.NotStarted or AssignmentStatus.InProgress => due ?? "No due date",
            AssignmentStatus.Overdue => $"Was due {Date(item.DueDate!.Value)}: still to complete",
            AssignmentStatus.Completed when item.WithdrawnOn is not null => $"Completed {Date(item.CompletedOn!.Value)}; no longer assigned",
            AssignmentStatus.Completed => $"Completed {Date(item.CompletedOn!.Value)}",
            AssignmentStatus.Certified when item.WithdrawnOn is not null =>
                $"Certified until {Date(item.ExpiresOn!.Value)}; no longer assigned, so it will not be renewed",
            AssignmentStatus.Certified => $"Certified until {Date(item.ExpiresOn!.Value)}, renewal window opens {Date(item.RenewalWindowOpensOn!.Value)}",
            AssignmentStatus.ExpiringSoon =>
                $"Certified until {Date(item.ExpiresOn!.Value)}; renewal window open since {Date(item.RenewalWindowOpensOn!.Value)}: complete the courses again to renew",
            AssignmentStatus.RenewalDue => $"Expired {Date(item.ExpiresOn!.Value)}: complete the courses again to renew",
            AssignmentStatus.Exempt => "Exempt: not required while the exemption lasts",
            AssignmentStatus.Withdrawn when item.ExpiresOn is { } expired => $"Expired {Date(expired)}; no longer assigned",
            AssignmentStatus.Withdrawn when item.WithdrawnOn is { } withdrawn => $"No longer assigned since {Date(withdrawn)}",
            _ => "No longer assigned",
        };
    }

    public static string Renewal(int? months) => DisplayText.RenewalPeriod(months) switch
    {
        "One-time" => "One-time",
        var every => $"Renews {every.ToLowerInvariant()}",
    };

    private static string Join(string first, string? second) => second is null ? first : $"{first}. {second}";
}
