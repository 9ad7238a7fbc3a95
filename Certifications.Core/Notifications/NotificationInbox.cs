using Certifications.Core.Auditing;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Notifications;

/// <summary>One notification as its recipient reads it.</summary>
public sealed record NotificationRow(long Id, NotificationKind Kind, string Subject, string Text, string Path, DateTime RecordedAt, bool IsRead);

public sealed record NotificationPage(IReadOnlyList<NotificationRow> Rows, int Total, int Unread);

/// <summary>
/// The signed-in person's own notifications: the bell's unread count, the notifications page (newest first, paged),
/// marking one or all read. Everyone reads only what was addressed to their own learner record; an account without one
/// has none.
/// </summary>
public sealed class NotificationInbox(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    NotificationSettings settings,
    AccessGuard guard,
    EventHub events)
{
    public const int MaxPageSize = 100;

    public async Task<int> UnreadCountAsync(Actor actor, CancellationToken ct = default)
    {
        await guard.RequireSignedInAsync(actor, "notifications", ct);
        if (actor.LearnerId is not { } me)
        {
            return 0;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.RecipientId == me && n.ReadAt == null, ct);
    }

    public async Task<NotificationPage> PageAsync(Actor actor, int page, int pageSize, bool unreadOnly = false, CancellationToken ct = default)
    {
        await guard.RequireSignedInAsync(actor, "notifications", ct);
        if (actor.LearnerId is not { } me)
        {
            return new NotificationPage([], 0, 0);
        }

        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(0, page);
        await using var db = await factory.CreateDbContextAsync(ct);
        var mine = db.Notifications.AsNoTracking().Where(n => n.RecipientId == me && (!unreadOnly || n.ReadAt == null));
        var total = await mine.CountAsync(ct);
        var unread = await db.Notifications.CountAsync(n => n.RecipientId == me && n.ReadAt == null, ct);
        var rows = await (
                from n in mine
                join learner in db.Learners on n.LearnerId equals learner.Id
                join certification in db.Certifications on n.CertificationId equals certification.Id
                orderby n.Id descending
                select new
                {
                    Row = n,
                    LearnerName = learner.Name,
                    Certification = certification.Name,
                    DueDate = certification.RenewalRequired ? null : certification.DueDate,
                })
            .Skip(page * pageSize)
            .Take(pageSize)
            .ToListAsync(ct);
        return new NotificationPage(
            [
                .. rows.Select(r =>
                {
                    var message = NotificationText.Compose(
                        new NotificationFacts(r.Row.Id, r.Row.Kind, r.Row.IsManagerCopy, r.Row.LearnerId, r.LearnerName, r.Row.CertificationId, r.Certification, r.DueDate, r.Row.EffectiveAt, r.Row.DeadlineAt),
                        calendar,
                        settings.BaseUrl);
                    return new NotificationRow(r.Row.Id, r.Row.Kind, message.Subject, message.Text[..message.Text.IndexOf("\n\n", StringComparison.Ordinal)], message.Path, r.Row.RecordedAt, r.Row.ReadAt is not null);
                }),
            ],
            total,
            unread);
    }

    /// <summary>Marks one of the actor's own notifications read; someone else's is left alone, as if it did not exist.</summary>
    public async Task<bool> MarkReadAsync(Actor actor, long id, CancellationToken ct = default)
    {
        await guard.RequireSignedInAsync(actor, "notifications", ct);
        if (actor.LearnerId is not { } me)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var marked = await db.Notifications
            .Where(n => n.Id == id && n.RecipientId == me && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct) > 0;
        if (marked)
        {
            await events.PublishAsync(new NotificationsRead(me));
        }

        return marked;
    }

    public async Task<int> MarkAllReadAsync(Actor actor, CancellationToken ct = default)
    {
        await guard.RequireSignedInAsync(actor, "notifications", ct);
        if (actor.LearnerId is not { } me)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var marked = await db.Notifications
            .Where(n => n.RecipientId == me && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (marked > 0)
        {
            await events.PublishAsync(new NotificationsRead(me));
        }

        return marked;
    }
}
