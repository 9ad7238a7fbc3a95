using Certifications.Core.Notifications;
using Certifications.Core.Time;
using Certifications.Tests.Core.Renewals;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certifications.Tests.Core.Notifications;

/// <summary>The sweep's test bed with a manager above the learners, the notifications as rows, and a sender.</summary>
internal static class NotificationTestBed
{
    /// <summary>A manager, and a learner reporting to them assigned now; returns both ids.</summary>
    public static async Task<(int Learner, int Manager)> AssignLearnerWithManagerAsync(this SweepTestBed bed, int certificationId, string learner, string manager)
    {
        int managerId;
        await using (var db = bed.Database.CreateContext())
        {
            managerId = (await TestCatalog.AddLearnerAsync(db, manager)).Id;
        }

        var learnerId = await bed.AssignNewLearnerAsync(certificationId, learner);
        await using (var db = bed.Database.CreateContext())
        {
            await db.Learners.Where(l => l.Id == learnerId).ExecuteUpdateAsync(s => s.SetProperty(l => l.ManagerId, managerId));
        }

        return (learnerId, managerId);
    }

    /// <summary>Every notification as (recipient, kind, occurrence, effective at), in the order recorded.</summary>
    public static async Task<List<(int Recipient, NotificationKind Kind, string Occurrence, DateTime EffectiveAt)>> NotificationsAsync(this SweepTestBed bed)
    {
        await using var db = bed.Database.CreateContext();
        return [.. (await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync()).Select(n => (n.RecipientId, n.Kind, n.Occurrence, n.EffectiveAt))];
    }

    public static NotificationSender Sender(this SweepTestBed bed, NotificationSettings settings, INotificationMailer mailer) =>
        new(bed.Database.Factory, bed.Time, OrganisationCalendar.Utc, settings, mailer, NullLogger<NotificationSender>.Instance);
}
