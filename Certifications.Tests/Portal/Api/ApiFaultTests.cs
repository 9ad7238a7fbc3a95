using System.Net;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Api;

/// <summary>A fault of the portal's own under /api: problem+json with an error id to quote, never an HTML page or the fault's text.</summary>
public sealed class ApiFaultTests(ApiTestPortal fixture) : IClassFixture<ApiTestPortal>
{
    private const string Fault = "The database file is locked by a backup";

    /// <summary>Result ingestion on a database that cannot be opened; everything else as usual.</summary>
    private WebApplicationFactory<Program> WithFailingIngestion() => fixture.Portal.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        services.AddSingleton(provider => new ResultIngestion(
            new UnreachableDatabase(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<AccessGuard>(),
            provider.GetRequiredService<ProgressRecompute>(),
            provider.GetRequiredService<EventHub>()))));

    [Fact]
    public async Task AnUnexpectedFaultIsAProblemWithAnErrorIdAndNothingOfTheFault()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        var learner = await fixture.LearnerAsync("Fay Fault");
        var course = await fixture.CourseAsync("Faults");
        await using var portal = WithFailingIngestion();
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var body = new { results = new[] { new { externalId = Guid.NewGuid().ToString("N"), learnerId = learner.Id, stepId = course.Steps[0].Id, score = 90, completedAt = fixture.Now.AddHours(-1).ToString("O") } } };

        using var response = await client.SendAsync(HttpMethod.Post, "/api/v1/results", key, body);

        var problem = await response.ProblemAsync(HttpStatusCode.InternalServerError);
        var errorId = problem.GetProperty("errorId").GetString();
        Assert.False(string.IsNullOrWhiteSpace(errorId));
        Assert.Contains(errorId!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Fault, text, StringComparison.Ordinal);
        Assert.DoesNotContain("at Certifications.", text, StringComparison.Ordinal);
    }

    private sealed class UnreachableDatabase : IDbContextFactory<CertificationsDbContext>
    {
        public CertificationsDbContext CreateDbContext() => throw new InvalidOperationException(Fault);
    }
}
