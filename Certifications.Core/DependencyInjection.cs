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
    /// <summary>The rules, the services and the database, configured from the "ConnectionStrings" and "Organisation" sections.</summary>
    public static IServiceCollection AddCertificationsCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString("Certifications") ?? "Data Source=certifications.db";
        services.AddDbContextFactory<CertificationsDbContext>(options => options.UseSqlite(connectionString));

        services.TryAddSingleton(TimeProvider.System);
        var zoneId = configuration["Organisation:TimeZone"];
        var zone = string.IsNullOrWhiteSpace(zoneId) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        services.AddSingleton(new OrganisationCalendar(zone));

        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<EventHub>();
        services.AddSingleton<CertificationService>();
        services.AddSingleton<CatalogSearch>();
        services.AddSingleton<CatalogBrowse>();
        services.AddSingleton<Progress.ProgressRecompute>();
        return services;
    }
}
