using System.Net;
using System.Net.Sockets;
using Certifications.Core.Certifications;
using Certifications.Core.Notifications;
using Certifications.Core.Renewals;
using Certifications.Tests.Core.Renewals;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using netDumbster.smtp;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Notifications;

/// <summary>The sender against an SMTP sink on a local port: who receives what, retries after a failure, and never twice.</summary>
public sealed class NotificationSendingTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static NotificationSettings Settings(int port) => new()
    {
        Smtp = new SmtpSettings("127.0.0.1", port, null, null, "certifications@example.com", UseTls: false),
        BaseUrl = new Uri("https://portal.example.com/"),
        FirstRetryAfter = TimeSpan.FromMinutes(1),
        MaxAttempts = 3,
    };

    /// <summary>Bob's one-time certification due on 31 March 2028, reminded 7 days before, Maria his manager; the sweep at the reminder.</summary>
    private static async Task<(SweepTestBed Bed, int Bob, int Maria, int CertificationId)> DueSoonAsync()
    {
        var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift <Basic>", new DateOnly(2028, 1, 1), c => c.DueDate = new DateOnly(2028, 3, 31));
        var (bob, maria) = await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");
        bed.SetNow(Utc(2028, 3, 25, 8));
        await bed.Sweep.RunAsync(SweepTrigger.Schedule);
        return (bed, bob, maria, certificationId);
    }

    [Fact]
    public async Task TheSinkReceivesTheReminderForTheLearnerAndTheManagerWithTheirLinks()
    {
        var (bed, _, _, certificationId) = await DueSoonAsync();
        await using var _ = bed;
        var port = FreePort();
        using var sink = SimpleSmtpServer.Start(port);
        var sender = bed.Sender(Settings(port), new SmtpNotificationMailer(Settings(port)));

        var report = await sender.SendDueAsync();

        Assert.Equal(new SendReport(2, 0, 0, 0), report);
        var mails = sink.ReceivedEmail.OrderBy(m => m.ToAddresses[0].Address).ToList();
        Assert.Equal(["bob.safety@example.com", "maria.manager@example.com"], mails.Select(m => m.ToAddresses.Single().Address));
        Assert.Equal(
            ["Forklift <Basic> is due on 31 March 2028", "Bob Safety: Forklift <Basic> is due on 31 March 2028"],
            mails.Select(m => m.Headers["Subject"]));
        var bob = Parse(mails[0]);
        var maria = Parse(mails[1]);
        var (bobText, bobHtml, mariaHtml) = (bob.TextBody, bob.HtmlBody, maria.HtmlBody);
        Assert.Equal("certifications@example.com", bob.From.Mailboxes.Single().Address);
        Assert.Contains("https://portal.example.com/me", bobText, StringComparison.Ordinal);
        Assert.Contains("is due on 31 March 2028 (in 7 days)", bobText, StringComparison.Ordinal);
        Assert.Contains("href=\"https://portal.example.com/me\"", bobHtml, StringComparison.Ordinal);
        Assert.Contains("\u201cForklift &lt;Basic&gt;\u201d", bobHtml, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://portal.example.com/manage/certifications/{certificationId}\"", mariaHtml, StringComparison.Ordinal);

        // Sent is sent: a second pass, or another node's, finds nothing to send.
        Assert.Equal(SendReport.None, await sender.SendDueAsync());
        Assert.Equal(2, sink.ReceivedEmailCount);
    }

    [Fact]
    public async Task AFailedSendIsRetriedAfterABackoffThatDoublesAndGivenUpAfterTheLastAttempt()
    {
        var (bed, _, _, _) = await DueSoonAsync();
        await using var _ = bed;
        var port = FreePort();
        var settings = Settings(port);
        var sender = bed.Sender(settings, new SmtpNotificationMailer(settings));

        // Nothing listens: the first attempt fails, and the next waits a minute.
        Assert.Equal(new SendReport(0, 2, 0, 0), await sender.SendDueAsync());
        Assert.Equal(SendReport.None, await sender.SendDueAsync());
        await using (var db = bed.Database.CreateContext())
        {
            Assert.All(await db.Notifications.ToListAsync(), n =>
            {
                Assert.Equal((EmailDelivery.Pending, 1, bed.Now.AddMinutes(1)), (n.Email, n.Attempts, n.NextAttemptAt));
                Assert.NotNull(n.LastError);
            });
        }

        // Still nothing: the second attempt fails, the third is two minutes later.
        bed.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new SendReport(0, 2, 0, 0), await sender.SendDueAsync());
        bed.Time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(SendReport.None, await sender.SendDueAsync());

        // The sink is up for the third and last attempt.
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        using (var sink = SimpleSmtpServer.Start(port))
        {
            Assert.Equal(new SendReport(2, 0, 0, 0), await sender.SendDueAsync());
            Assert.Equal(2, sink.ReceivedEmailCount);
        }

        await using (var db = bed.Database.CreateContext())
        {
            Assert.All(await db.Notifications.ToListAsync(), n => Assert.Equal((EmailDelivery.Sent, 3, (DateTime?)null), (n.Email, n.Attempts, n.NextAttemptAt)));
        }
    }

    [Fact]
    public async Task EveryAttemptFailingGivesTheEmailUpAndKeepsTheNotificationInThePortal()
    {
        var (bed, _, _, _) = await DueSoonAsync();
        await using var _ = bed;
        var settings = Settings(FreePort());
        var sender = bed.Sender(settings, new SmtpNotificationMailer(settings));
        for (var attempt = 0; attempt < settings.MaxAttempts; attempt++)
        {
            await sender.SendDueAsync();
            bed.Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(SendReport.None, await sender.SendDueAsync());
        await using var db = bed.Database.CreateContext();
        Assert.All(await db.Notifications.ToListAsync(), n => Assert.Equal((EmailDelivery.Failed, 3, null, null), (n.Email, n.Attempts, n.NextAttemptAt, n.ReadAt)));
    }

    /// <summary>
    /// The portal stops between recording and sending, and again after a sender claimed a batch but before it sent it: a
    /// new sender (after the restart) sends each email once, the claimed ones when the dead sender's lease ends.
    /// </summary>
    [Fact]
    public async Task ARestartBetweenRecordingAndSendingSendsEachEmailOnce()
    {
        var (bed, _, _, _) = await DueSoonAsync();
        await using var _ = bed;
        var port = FreePort();
        using var sink = SimpleSmtpServer.Start(port);
        var settings = Settings(port);

        // A sender that dies holding its claim: it claims the batch, then the process stops before anything is sent.
        var dying = bed.Sender(settings, new DyingMailer());
        await Assert.ThrowsAsync<OperationCanceledException>(() => dying.SendDueAsync());
        Assert.Equal(0, sink.ReceivedEmailCount);

        // After the restart the claim still holds for its lease; then the new sender takes the batch over.
        var restarted = bed.Sender(settings, new SmtpNotificationMailer(settings));
        Assert.Equal(SendReport.None, await restarted.SendDueAsync());
        bed.Time.Advance(settings.ClaimLease);
        Assert.Equal(new SendReport(2, 0, 0, 0), await restarted.SendDueAsync());
        Assert.Equal(SendReport.None, await restarted.SendDueAsync());

        // The sweep running again at a later instant records nothing new, so nothing more is sent.
        await bed.Sweep.RunAsync(SweepTrigger.StartUp);
        await bed.Recompute.RecomputeAllAsync();
        Assert.Equal(SendReport.None, await restarted.SendDueAsync());
        Assert.Equal(2, sink.ReceivedEmailCount);
    }

    /// <summary>
    /// Two senders claiming at the same moment on PostgreSQL: the rows one is claiming are locked, and the other passes
    /// them by instead of waiting and then claiming them too. The lock is held here by an open transaction.
    /// </summary>
    [PostgreSqlOnlyFact("rows locked by one writer while another runs: SQLite runs one writer at a time, so no claim can overlap another")]
    public async Task ANotificationAnotherSenderIsClaimingIsPassedByNotWaitedForNorSentTwice()
    {
        var (bed, _, _, _) = await DueSoonAsync();
        await using var _ = bed;
        var mailer = new RecordingMailer();
        var sender = bed.Sender(Settings(FreePort()), mailer);
        await using var other = bed.Database.CreateContext();
        await using var claiming = await other.Database.BeginTransactionAsync();
        var locked = await other.Notifications.OrderBy(n => n.Id).Select(n => n.Id).FirstAsync();
        await other.Database.ExecuteSqlAsync($"""SELECT "Id" FROM "Notifications" WHERE "Id" = {locked} FOR UPDATE""");

        var whileLocked = await sender.SendDueAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await claiming.RollbackAsync();
        var afterwards = await sender.SendDueAsync();

        Assert.Equal((new SendReport(1, 0, 0, 0), new SendReport(1, 0, 0, 0)), (whileLocked, afterwards));
        Assert.Equal(locked, mailer.Sent[^1]);
        Assert.Equal(2, mailer.Sent.Distinct().Count());
    }

    [Fact]
    public async Task WithEmailOffNothingIsSentAndNotificationsRecordedLongAgoAreNeverMailed()
    {
        var (bed, _, _, _) = await DueSoonAsync();
        await using var _ = bed;
        Assert.Equal(SendReport.None, await bed.Sender(new NotificationSettings(), new DyingMailer()).SendDueAsync());

        // Email configured a week later: the reminder is stale, shown in the portal only.
        bed.Time.Advance(NotificationSender.MaxAge + TimeSpan.FromMinutes(1));
        var port = FreePort();
        using var sink = SimpleSmtpServer.Start(port);
        Assert.Equal(SendReport.None, await bed.Sender(Settings(port), new SmtpNotificationMailer(Settings(port))).SendDueAsync());
        Assert.Equal(0, sink.ReceivedEmailCount);
        await using var db = bed.Database.CreateContext();
        Assert.All(await db.Notifications.ToListAsync(), n => Assert.Equal(EmailDelivery.NotSent, n.Email));
    }

    /// <summary>The message as its reader gets it. The sink keeps the data as sent, so it undoes SMTP's dot-stuffing here (RFC 5321, 4.5.2).</summary>
    private static MimeKit.MimeMessage Parse(SmtpMessage mail) =>
        MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Data.Replace("\r\n..", "\r\n.", StringComparison.Ordinal))));

    /// <summary>The process stopping while the batch is in hand.</summary>
    private sealed class RecordingMailer : INotificationMailer
    {
        public List<long> Sent { get; } = [];

        public Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingEmail> emails, CancellationToken ct)
        {
            Sent.AddRange(emails.Select(e => e.NotificationId));
            return Task.FromResult<IReadOnlyList<string?>>([.. emails.Select(_ => (string?)null)]);
        }
    }

    private sealed class DyingMailer : INotificationMailer
    {
        public Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingEmail> emails, CancellationToken ct) => throw new OperationCanceledException();
    }
}
