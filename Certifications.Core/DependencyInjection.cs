using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Certifications.Core;

public static class DependencyInjection
{
    /// <summary>The rules, the services and the database, configured from the "Database", "ConnectionStrings" and "Organisation" sections.</summary>
    public static IServiceCollection AddCertificationsCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Read when first resolved, not now: hosts (and tests) may still add configuration after this call.
        services.AddSingleton(provider => DatabaseSettings.From(provider.GetRequiredService<IConfiguration>()));
        services.AddDbContextFactory<CertificationsDbContext>((provider, options) => provider.GetRequiredService<DatabaseSettings>().Configure(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => OrganisationCalendarFrom(provider.GetRequiredService<IConfiguration>()));

        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<EventHub>();
        services.AddHostedService<EventRelayService>();
        services.AddSingleton<Security.AccessGuard>();
        services.AddSingleton<Security.AccountSetup>();
        services.AddSingleton<Security.ApiKeys>();
        services.AddScoped<Security.UserAdministration>();
        services.AddSingleton<Enrollment.LearnerPanelService>();
        services.AddSingleton<Enrollment.TeamService>();
        services.AddSingleton<Enrollment.CertificationRoster>();
        services.AddSingleton<Enrollment.EnrollmentService>();
        services.AddSingleton<CertificationService>();
        services.AddSingleton<CatalogSearch>();
        services.AddSingleton<CatalogBrowse>();
        services.AddSingleton<CourseAdministration>();
        services.AddSingleton<GroupAdministration>();
        services.AddSingleton<LearnerAdministration>();
        services.AddSingleton<Progress.ProgressRecompute>();
        services.AddSingleton<Progress.ResultIngestion>();
        services.AddSingleton<History.CompletionImport>();
        services.AddSingleton<History.RecordCorrections>();
        services.AddSingleton<Exports.RecordExports>();
        services.AddSingleton(provider => new Renewals.SweepSettings(
            Math.Max(1, provider.GetRequiredService<IConfiguration>().GetValue("Scheduler:BatchSize", Progress.ProgressRecompute.BatchSize))));
        services.AddSingleton<Renewals.RenewalSweep>();
        services.AddSingleton(provider => CertificateSettingsFrom(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Certificates.CertificateService>();
        services.AddSingleton(provider => Notifications.NotificationSettings.From(provider.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton<Notifications.INotificationMailer, Notifications.SmtpNotificationMailer>();
        services.AddSingleton<Notifications.NotificationSender>();
        services.AddSingleton<Notifications.NotificationInbox>();
        return services;
    }

    private static Certificates.CertificateSettings CertificateSettingsFrom(IConfiguration configuration) => new(
        configuration["Organisation:Name"] is { Length: > 0 } name ? name : "Certifications",
        configuration["BaseUrl"] is { Length: > 0 } url ? url : "http://localhost:5000");

    private static OrganisationCalendar OrganisationCalendarFrom(IConfiguration configuration)
    {
        var zoneId = configuration["Organisation:TimeZone"];
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            return OrganisationCalendar.Utc;
        }

        try
        {
            return new OrganisationCalendar(TimeZoneInfo.FindSystemTimeZoneById(zoneId));
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"Organisation:TimeZone is \"{zoneId}\", which is not a time zone this machine knows. Use an IANA id such as \"Europe/Paris\" or \"UTC\".", ex);
        }
    }
}
