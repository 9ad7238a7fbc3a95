using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Certifications.Core.Notifications;

/// <summary>One email to send: the notification it carries and its addressee.</summary>
public sealed record OutgoingEmail(long NotificationId, string ToName, string ToAddress, NotificationMessage Message);

/// <summary>Sends a batch of emails over one connection; says, per email, null when it was accepted or why not.</summary>
public interface INotificationMailer
{
    Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingEmail> emails, CancellationToken ct);
}

/// <summary>
/// MailKit to the configured SMTP server: one connection per batch. A refused recipient fails that email only; a lost
/// connection fails the rest of the batch, which the sender retries later. Each message carries a Message-ID made
/// from the notification's id, so that a message sent again after a crash is recognisably the same one.
/// </summary>
public sealed class SmtpNotificationMailer(NotificationSettings settings) : INotificationMailer
{
    public async Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingEmail> emails, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var smtp = settings.Smtp ?? throw new InvalidOperationException("Email is off: no SMTP host is configured.");
        var outcomes = new string?[emails.Count];
        using var client = new SmtpClient();
        var next = 0;
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.Auto : SecureSocketOptions.None, ct);
            if (smtp.User is not null)
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            }

            for (; next < emails.Count; next++)
            {
                try
                {
                    await client.SendAsync(Compose(emails[next], smtp), ct);
                }
                catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
                {
                    outcomes[next] = ex.Message;
                }
            }

            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException or SslHandshakeException)
        {
            for (var i = next; i < emails.Count; i++)
            {
                outcomes[i] = ex.Message;
            }
        }

        return outcomes;
    }

    private static MimeMessage Compose(OutgoingEmail email, SmtpSettings smtp)
    {
        var message = new MimeMessage
        {
            Subject = email.Message.Subject,
            MessageId = $"notification-{email.NotificationId}@certifications.portal",
            Body = new BodyBuilder { TextBody = email.Message.Text, HtmlBody = email.Message.Html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(new MailboxAddress(email.ToName, email.ToAddress));
        return message;
    }
}
