using System.Runtime.CompilerServices;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Notifications;

/// <summary>What one sending pass did.</summary>
public sealed record SendReport(int Sent, int Failed, int GivenUp, int NotSent)
{
    public static SendReport None { get; } = new(0, 0, 0, 0);

    public SendReport Plus(SendReport other) => new(Sent + other.Sent, Failed + other.Failed, GivenUp + other.GivenUp, NotSent + other.NotSent);
}

/// <summary>
/// Mails the recorded notifications (the outbox's other half), run by a job. Each batch is claimed first, in one
/// statement that moves the rows' next attempt past a lease and counts the attempt: another sender (a second node, an
/// overlapping run) passes them by, and a sender that dies holding them gives them up when the lease ends. Then the
/// batch is sent over one connection and the outcome written in one statement: sent; failed, to be tried again after a
/// wait that doubles each time; or given up after <see cref="NotificationSettings.MaxAttempts"/>. A notification
/// recorded longer ago than <see cref="MaxAge"/> (email was off, or the sender down) is shown in the portal only: a
/// reminder weeks late is worse than none.
/// </summary>
public sealed class NotificationSender(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    NotificationSettings settings,
    INotificationMailer mailer,
    ILogger<NotificationSender> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    /// <summary>Sends every notification due for an attempt now, batch after batch; nothing when email is off.</summary>
    public async Task<SendReport> SendDueAsync(CancellationToken ct = default)
    {
        if (!settings.EmailEnabled)
        {
            return SendReport.None;
        }

        var report = SendReport.None;
        while (true)
        {
            var batch = await SendBatchAsync(ct);
            report = report.Plus(batch);
            if (batch == SendReport.None)
            {
                return report;
            }
        }
    }

    private async Task<SendReport> SendBatchAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var leaseEnd = now + settings.ClaimLease;
        var tooOld = now - MaxAge;
        List<long> claimed;
        List<(Notification Row, string? Address, string RecipientName, string LearnerName, string Certification, DateOnly? DueDate)> rows;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var stale = await db.Notifications
                .Where(n => n.NextAttemptAt <= now && n.RecordedAt < tooOld)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.Email, EmailDelivery.NotSent).SetProperty(n => n.NextAttemptAt, (DateTime?)null), ct);
            if (stale > 0)
            {
                CoreLog.NotificationsTooOldToMail(logger, stale);
            }

            claimed = await db.Database.SqlQuery<long>(
                FormattableStringFactory.Create(SenderSql.For(SqlDialects.Of(db.Database)).Claim, leaseEnd, now, settings.SendBatchSize)).ToListAsync(ct);
            if (claimed.Count == 0)
            {
                return SendReport.None;
            }

            var found = await (
                    from n in db.Notifications.AsNoTracking()
                    where EF.Parameter(claimed).Contains(n.Id)
                    join recipient in db.Learners on n.RecipientId equals recipient.Id
                    join learner in db.Learners on n.LearnerId equals learner.Id
                    join certification in db.Certifications on n.CertificationId equals certification.Id
                    orderby n.Id
                    select new
                    {
                        Row = n,
                        RecipientName = recipient.Name,
                        recipient.Email,
                        LearnerName = learner.Name,
                        Certification = certification.Name,
                        DueDate = certification.RenewalRequired ? null : certification.DueDate,
                    })
                .ToListAsync(ct);
            rows = [.. found.Select(n => (n.Row, string.IsNullOrWhiteSpace(n.Email) ? null : n.Email, n.RecipientName, n.LearnerName, n.Certification, n.DueDate))];
        }

        // The claim counted this attempt: Attempts is the number made, this one included.
        var addressed = rows.Where(r => r.Address is not null).ToList();
        var emails = addressed
            .Select(r => new OutgoingEmail(
                r.Row.Id,
                r.RecipientName,
                r.Address!,
                NotificationText.Compose(
                    new NotificationFacts(r.Row.Id, r.Row.Kind, r.Row.IsManagerCopy, r.Row.LearnerId, r.LearnerName, r.Row.CertificationId, r.Certification, r.DueDate, r.Row.EffectiveAt, r.Row.DeadlineAt),
                    calendar,
                    settings.BaseUrl)))
            .ToList();
        var outcomes = emails.Count == 0 ? [] : await mailer.SendAsync(emails, ct);

        var doneAt = time.GetUtcNow().UtcDateTime;
        var results = new List<object?[]>();
        int sent = 0, failed = 0, givenUp = 0;
        for (var i = 0; i < addressed.Count; i++)
        {
            var row = addressed[i].Row;
            if (outcomes[i] is not { } error)
            {
                results.Add([row.Id, nameof(EmailDelivery.Sent), null, doneAt, null]);
                sent++;
            }
            else if (row.Attempts >= settings.MaxAttempts)
            {
                results.Add([row.Id, nameof(EmailDelivery.Failed), null, null, Truncate(error)]);
                givenUp++;
            }
            else
            {
                results.Add([row.Id, nameof(EmailDelivery.Pending), doneAt + settings.RetryAfter(row.Attempts), null, Truncate(error)]);
                failed++;
            }
        }

        var unaddressed = rows.Where(r => r.Address is null).ToList();
        results.AddRange(unaddressed.Select(r => new object?[] { r.Row.Id, nameof(EmailDelivery.NotSent), null, null, "The recipient has no email address." }));

        // The outcome is written whatever the caller's token says: the emails are out, and a row left claimed would be sent again.
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            var dialect = SqlDialects.Of(db.Database);
            await db.Database.ExecuteSqlAsync(
                FormattableStringFactory.Create(SenderSql.For(dialect).RecordOutcomes, ProgressWrites.Json(results, dialect)), CancellationToken.None);
        }

        if (failed + givenUp > 0)
        {
            CoreLog.NotificationsNotSent(logger, failed, givenUp, outcomes.FirstOrDefault(o => o is not null) ?? "");
        }

        return new SendReport(sent, failed, givenUp, unaddressed.Count);
    }

    private static string Truncate(string error) => error.Length > Notification.LastErrorMaxLength ? error[..Notification.LastErrorMaxLength] : error;
}

/// <summary>
/// The sender's statements on each database, side by side. <see cref="Claim"/>: {0} the lease's end, {1} now, {2} the
/// batch size; the ids claimed. <see cref="RecordOutcomes"/>: {0} the outcomes (id, email state, next attempt, sent at,
/// last error) as JSON.
/// </summary>
internal sealed record SenderSql(string Claim, string RecordOutcomes)
{
    // SQLite runs one writer at a time: a claim cannot interleave with another sender's.
    public static SenderSql Sqlite { get; } = new(
        Claim: """
            UPDATE "Notifications" SET "NextAttemptAt" = {0}, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (SELECT "Id" FROM "Notifications" WHERE "NextAttemptAt" <= {1} ORDER BY "NextAttemptAt", "Id" LIMIT {2})
            RETURNING "Id" AS "Value"
            """,
        RecordOutcomes: """
            UPDATE "Notifications"
            SET "Email" = v.value ->> 1, "NextAttemptAt" = v.value ->> 2, "SentAt" = v.value ->> 3, "LastError" = v.value ->> 4
            FROM json_each({0}) AS v
            WHERE "Notifications"."Id" = v.value ->> 0
            """);

    // Two senders claiming at once on PostgreSQL: the rows one has locked the other passes by (SKIP LOCKED), rather than
    // waiting and then claiming them too.
    public static SenderSql PostgreSql { get; } = new(
        Claim: """
            UPDATE "Notifications" SET "NextAttemptAt" = {0}, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (SELECT "Id" FROM "Notifications" WHERE "NextAttemptAt" <= {1} ORDER BY "NextAttemptAt", "Id" LIMIT {2} FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """,
        RecordOutcomes: """
            UPDATE "Notifications"
            SET "Email" = v.value ->> 1, "NextAttemptAt" = (v.value ->> 2)::timestamptz, "SentAt" = (v.value ->> 3)::timestamptz, "LastError" = v.value ->> 4
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            WHERE "Notifications"."Id" = (v.value ->> 0)::bigint
            """);

    public static SenderSql For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
}
