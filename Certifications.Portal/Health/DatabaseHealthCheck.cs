using Certifications.Core.Catalog;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Certifications.Portal.Health;

/// <summary>The database answers, and holds every migration this build knows: an instance behind on the schema is not ready.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<CertificationsDbContext> factory, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database does not answer.");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("The database answers and its schema is current.")
                : HealthCheckResult.Unhealthy($"The database answers but {CatalogVersions.Count(pending, "migration")} of this build {(pending == 1 ? "is" : "are")} not applied yet.");
        }
#pragma warning disable CA1031 // Whatever the provider throws, the answer is "not ready"; the log keeps the details.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // The details go to the log, not to whoever asks.
            PortalLog.HealthCheckFailed(logger, "database", ex);
            return HealthCheckResult.Unhealthy("The database could not be reached; the log says why.");
        }
    }
}
