using System.Net;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal;

public sealed class PortalStartupTests
{
    [Fact]
    public async Task OnAnEmptyDatabaseThePortalMigratesSeedsAndServesTheCertificationsList()
    {
        await using var portal = new PortalFactory(seedDemoData: true);
        using var client = portal.CreateClient();

        var response = await client.GetAsync(new Uri("/admin/automate/certifications", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("Certifications", html, StringComparison.Ordinal);

        var list = await portal.Services.GetRequiredService<CertificationService>().ListAsync(Certifications.Core.Auditing.Actor.System, new CertificationListQuery(PageSize: 50));
        Assert.Contains(list.Items, c => c.Name == "Workplace Safety" && c.State == CertificationState.Published && c.LearnerCount > 0);

        var factory = portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var statuses = await db.Assignments.Select(a => a.Status).Distinct().ToListAsync();
        Assert.Contains(AssignmentStatus.Certified, statuses);
        Assert.Contains(AssignmentStatus.Overdue, statuses);
        Assert.Contains(AssignmentStatus.Scheduled, statuses);
        Assert.NotEmpty(await db.Periods.Where(p => p.CompletedAt != null).ToListAsync());
    }

    [SqliteOnlyFact("the database file and its journal mode are SQLite's")]
    public async Task OnSqliteThePortalCreatesItsDatabaseFileInWriteAheadLogMode()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        _ = portal.Server;

        Assert.True(File.Exists(portal.DatabasePath));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={portal.DatabasePath}");
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await pragma.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("Oracle", "Data Source=portal.db", "Database:Provider is \"Oracle\"")]
    [InlineData("PostgreSQL", "", "ConnectionStrings:Certifications is missing")]
    [InlineData("PostgreSQL", "Data Source=certifications.db", "is not a PostgreSQL connection string")]
    [InlineData("Sqlite", "Host=localhost;Database=certifications", "is not a SQLite connection string")]
    public async Task AnUnknownProviderOrAMissingOrForeignConnectionStringStopsThePortalAtStartSayingWhatToWrite(string provider, string connectionString, string message)
    {
        await using var portal = new PortalFactory(seedDemoData: false, extraSettings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Certifications"] = connectionString,
        });

        var failure = Assert.ThrowsAny<Exception>(() => portal.Server);

        Assert.Contains(Causes(failure), e => e is InvalidOperationException && e.Message.Contains(message, StringComparison.Ordinal));
    }

    private static IEnumerable<Exception> Causes(Exception failure)
    {
        for (Exception? cause = failure; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    [Fact]
    public async Task WithDemoDataOffTheDatabaseStaysEmptyAndTheListSaysSo()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = portal.CreateClient();

        var response = await client.GetAsync(new Uri("/admin/automate/certifications", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var factory = portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Courses.CountAsync());
    }

    [Fact]
    public async Task TheRootSendsAnAnonymousVisitorToSignInAndAnUnknownPageIsNotFound()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var root = await client.GetAsync(new Uri("/", UriKind.Relative));
        var missing = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/account/sign-in", root.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
