using System.Globalization;
using System.Net;
using System.Text;
using Certifications.Core.Time;

namespace Certifications.Core.Notifications;

/// <summary>A notification with what its texts need: the names, the dates, whether it is a manager's copy.</summary>
public sealed record NotificationFacts(
    long Id,
    NotificationKind Kind,
    bool IsManagerCopy,
    int LearnerId,
    string LearnerName,
    int CertificationId,
    string CertificationName,
    DateOnly? DueDate,
    DateTime EffectiveAt,
    DateTime? DeadlineAt);

/// <summary>A notification as it reads: in the bell's list and the notifications page, and as an email's subject and bodies.</summary>
public sealed record NotificationMessage(string Subject, string Text, string Html, string Path);

/// <summary>
/// The templates, one per event: the certification's name, the dates that matter (in the organisation's calendar) and
/// a link to the page to act on (the learner's own panel; the manager's page of that certification). Plain text and
/// HTML, every name HTML-encoded in the latter.
/// </summary>
public static class NotificationText
{
    public static NotificationMessage Compose(NotificationFacts facts, OrganisationCalendar calendar, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var path = PathOf(facts);
        var link = new Uri(baseUrl, path.TrimStart('/')).ToString();
        var (subject, sentence, action) = Words(facts, calendar);
        var text = new StringBuilder()
            .Append(sentence).Append("\n\n")
            .Append(action).Append(": ").Append(link).Append('\n')
            .ToString();
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><body style=\"font-family: sans-serif\">")
            .Append("<p>").Append(WebUtility.HtmlEncode(sentence)).Append("</p>")
            .Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link)).Append("\">").Append(WebUtility.HtmlEncode(action)).Append("</a></p>")
            .Append("</body></html>")
            .ToString();
        return new NotificationMessage(subject, text, html, path);
    }

    /// <summary>The page to act on: the learner's panel, or the manager's view of the certification.</summary>
    public static string PathOf(NotificationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.IsManagerCopy ? $"/manage/certifications/{facts.CertificationId.ToString(CultureInfo.InvariantCulture)}" : "/me";
    }

    private static (string Subject, string Sentence, string Action) Words(NotificationFacts f, OrganisationCalendar calendar)
    {
        var name = $"\u201c{f.CertificationName}\u201d";
        var who = f.IsManagerCopy ? f.LearnerName : "You";
        var whose = f.IsManagerCopy ? $"{f.LearnerName}'s" : "Your";
        var deadline = f.DeadlineAt is { } d ? Day(d, calendar) : null;
        var due = f.DueDate is { } dueDate ? Long(dueDate) : null;
        var action = f.IsManagerCopy ? "See the team's progress" : "Open your certifications";
        return f.Kind switch
        {
            NotificationKind.Assigned => (
                $"New certification: {f.CertificationName}",
                $"You have been assigned {name}." + (due is null ? "" : $" It is due on {due}."),
                action),
            NotificationKind.DueSoon => (
                f.IsManagerCopy ? $"{f.LearnerName}: {f.CertificationName} is due on {deadline}" : $"{f.CertificationName} is due on {deadline}",
                $"{whose} certification {name} is due on {deadline} ({Days(f.EffectiveAt, f.DeadlineAt)}) and is not completed yet.",
                action),
            NotificationKind.Overdue => (
                f.IsManagerCopy ? $"{f.LearnerName}: {f.CertificationName} is overdue" : $"{f.CertificationName} is overdue",
                $"{whose} certification {name} was due on {deadline} and is not completed.",
                action),
            NotificationKind.RenewalWindowOpen => (
                f.IsManagerCopy ? $"{f.LearnerName}: {f.CertificationName} expires on {deadline}" : $"Time to renew {f.CertificationName}",
                $"{whose} certification {name} expires on {deadline}. The renewal window is open: courses completed from now on count toward the renewal.",
                action),
            NotificationKind.RenewalDue => (
                f.IsManagerCopy ? $"{f.LearnerName}: {f.CertificationName} has expired" : $"{f.CertificationName} has expired: renewal due",
                $"{whose} certification {name} expired on {deadline}. Its courses are to be completed again to renew it.",
                action),
            NotificationKind.Completed => (
                f.IsManagerCopy ? $"{f.LearnerName} completed {f.CertificationName}" : $"Completed: {f.CertificationName}",
                $"{who} completed {name} on {Long(calendar.DateOf(f.EffectiveAt))}." + (deadline is null ? "" : $" It is valid until {deadline}."),
                action),
            NotificationKind.Renewed => (
                f.IsManagerCopy ? $"{f.LearnerName} renewed {f.CertificationName}" : $"Renewed: {f.CertificationName}",
                $"{who} renewed {name} on {Long(calendar.DateOf(f.EffectiveAt))}." + (deadline is null ? "" : $" It is valid until {deadline}."),
                action),
            NotificationKind.Withdrawn => (
                f.IsManagerCopy ? $"{f.LearnerName} no longer holds {f.CertificationName}" : $"Withdrawn: {f.CertificationName}",
                f.IsManagerCopy
                    ? $"{f.LearnerName} no longer holds {name}; nothing more is asked of them for it."
                    : $"{name} is no longer asked of you. Completions you have kept stay on your profile.",
                action),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        };
    }

    /// <summary>The calendar day an instant falls on; an instant that ends a day (a due date) names that day.</summary>
    private static string Day(DateTime instant, OrganisationCalendar calendar)
    {
        var date = calendar.DateOf(instant);
        return Long(calendar.StartOfDay(date) == instant ? date.AddDays(-1) : date);
    }

    private static string Long(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Days(DateTime from, DateTime? to)
    {
        var days = to is { } end ? (int)Math.Round((end - from).TotalDays) : 0;
        return days == 1 ? "in 1 day" : $"in {days.ToString(CultureInfo.InvariantCulture)} days";
    }
}
