using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Notifications;

/// <summary>The "due in N days" instants of the one-time certifications with a due date, and reminders on, among those being evaluated.</summary>
internal static class NotificationReminders
{
    /// <summary>One query, and only when a certification with a due date is among them.</summary>
    public static async Task<Dictionary<int, DateTime>> LoadAsync(
        CertificationsDbContext db, IReadOnlyDictionary<int, CertificationTerms> terms, OrganisationCalendar calendar, CancellationToken ct)
    {
        var due = terms.Where(t => t.Value.DueDate is not null).Select(t => t.Key).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var days = await db.Certifications.AsNoTracking()
            .Where(c => EF.Parameter(due).Contains(c.Id))
            .Select(c => new { c.Id, c.ReminderDays, c.NotificationEvents })
            .ToListAsync(ct);

        // A certification that sends no reminder has no reminder instant: nothing wakes its assignments for nothing.
        return days
            .Where(c => c.NotificationEvents.HasFlag(NotificationEvents.DueSoon))
            .ToDictionary(c => c.Id, c => NotificationRules.ReminderAt(terms[c.Id].DueDate!.Value, c.ReminderDays, calendar));
    }
}
