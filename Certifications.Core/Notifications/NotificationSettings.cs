using Microsoft.Extensions.Configuration;

namespace Certifications.Core.Notifications;

/// <summary>The SMTP server email goes through; email is off without a host.</summary>
public sealed record SmtpSettings(string Host, int Port, string? User, string? Password, string From, bool UseTls);

/// <summary>
/// The portal's notification settings (the "Notifications" section): the defaults a certification without its own
/// choice follows, the SMTP server, the portal's address for links, and how the sender retries.
/// </summary>
public sealed record NotificationSettings
{
    public const int DefaultReminderDays = 7;
    public const int MaxReminderDays = 365;

    public int ReminderDays { get; init; } = DefaultReminderDays;

    public NotificationEvents Events { get; init; } = NotificationEvents.All;

    /// <summary>Null when no SMTP host is configured: notifications are then shown in the portal only.</summary>
    public SmtpSettings? Smtp { get; init; }

    /// <summary>The portal's public address, for the links in emails.</summary>
    public Uri BaseUrl { get; init; } = new("http://localhost:5000/");

    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait after the first failure; it doubles with each further one.</summary>
    public TimeSpan FirstRetryAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed notification is kept from other senders: a sender that died holding it gives it up then.</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(5);

    public int SendBatchSize { get; init; } = 200;

    public bool EmailEnabled => Smtp is not null;

    public static NotificationSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Notifications");
        var events = NotificationEvents.None;
        var eventSection = section.GetSection("Events");
        foreach (var flag in Enum.GetValues<NotificationEvents>().Where(f => f is not NotificationEvents.None and not NotificationEvents.All))
        {
            if (eventSection.GetValue(flag.ToString(), true))
            {
                events |= flag;
            }
        }

        var smtp = section.GetSection("Smtp");
        var host = smtp["Host"];
        // The portal's one public address, also printed on certificates.
        var baseUrl = configuration["BaseUrl"];
        return new NotificationSettings
        {
            ReminderDays = Math.Clamp(section.GetValue("ReminderDays", DefaultReminderDays), 1, MaxReminderDays),
            Events = events,
            Smtp = string.IsNullOrWhiteSpace(host)
                ? null
                : new SmtpSettings(
                    host,
                    smtp.GetValue("Port", 25),
                    NullIfBlank(smtp["User"]),
                    NullIfBlank(smtp["Password"]),
                    NullIfBlank(smtp["From"]) ?? "certifications@localhost",
                    smtp.GetValue("UseTls", false)),
            BaseUrl = string.IsNullOrWhiteSpace(baseUrl) ? new Uri("http://localhost:5000/") : new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            MaxAttempts = Math.Max(1, section.GetValue("MaxAttempts", 6)),
            FirstRetryAfter = TimeSpan.FromSeconds(Math.Max(1, section.GetValue("FirstRetrySeconds", 60))),
            SendBatchSize = Math.Max(1, section.GetValue("SendBatchSize", 200)),
        };
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1, after <paramref name="attempts"/> failed: doubling, at most a day.</summary>
    public TimeSpan RetryAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, FirstRetryAfter.Ticks * (1L << Math.Clamp(attempts - 1, 0, 20))));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
