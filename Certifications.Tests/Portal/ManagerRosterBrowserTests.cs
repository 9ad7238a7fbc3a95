using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class ManagerRosterBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string ManagerEmail = "rosa.roster@example.com";
    private const string ManagerPassword = "roster live passphrase";
    private const string Certification = "Roster Live Check";

    private sealed record Prepared(int CertificationId, int StepId, int LenaId, int TheoId, string ApiKey);

    /// <summary>
    /// A manager of her own (Rosa, with an account), two learners reporting to her, a course of one graded step, a group of
    /// the two with that course, and a certification targeting the group, published so that both are assigned; and an API
    /// key for the results. No other test creates any of them.
    /// </summary>
    private async Task<Prepared> PrepareAsync()
    {
        var services = browser.Portal.Services;
        var factory = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        int rosaId, lenaId, theoId, courseId, stepId, groupId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var rosa = new Learner { Name = "Rosa Roster", Email = ManagerEmail, NormalizedEmail = ManagerEmail.ToUpperInvariant() };
            db.Learners.Add(rosa);
            await db.SaveChangesAsync();
            var lena = new Learner { Name = "Lena Roster", Email = "lena.roster@example.com", NormalizedEmail = "LENA.ROSTER@EXAMPLE.COM", ManagerId = rosa.Id };
            var theo = new Learner { Name = "Theo Roster", Email = "theo.roster@example.com", NormalizedEmail = "THEO.ROSTER@EXAMPLE.COM", ManagerId = rosa.Id };
            var course = new Course { Title = "Roster Live Course", IsPublished = true, Steps = [new Step { Title = "Roster quiz", Position = 1, IsGraded = true }] };
            db.AddRange(lena, theo, course);
            await db.SaveChangesAsync();
            var group = new Group
            {
                Name = "Roster live group",
                Courses = [new GroupCourse { CourseId = course.Id }],
                Members = [new GroupMember { LearnerId = lena.Id }, new GroupMember { LearnerId = theo.Id }],
            };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            (rosaId, lenaId, theoId, courseId, stepId, groupId) = (rosa.Id, lena.Id, theo.Id, course.Id, course.Steps[0].Id, group.Id);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = ManagerEmail, Email = ManagerEmail, EmailConfirmed = true, DisplayName = "Rosa Roster", LearnerId = rosaId };
            Assert.True((await users.CreateAsync(user, ManagerPassword)).Succeeded);
            Assert.True((await users.AddToRolesAsync(user, [PortalRoles.Learner, PortalRoles.Manager])).Succeeded);
        }

        var admin = Actor.Admin("browser-test@example.com");
        var certifications = services.GetRequiredService<CertificationService>();
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = Certification, EffectiveFrom = new DateOnly(2026, 1, 1), MinimumPassingGrade = 70, CourseIds = [courseId], GroupIds = [groupId] }, admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, admin)).Succeeded);
        var key = await services.GetRequiredService<ApiKeys>().CreateAsync(admin, new ApiKeyDraft { Name = "Roster live feed" });
        Assert.True(key.Succeeded, key.Message);
        return new Prepared(created.Id!.Value, stepId, lenaId, theoId, key.Secret!.Value);
    }

    private static ILocator StatusOf(IPage page, int learnerId, string status) =>
        page.Locator($"[data-test='roster-status'][data-learner-id='{learnerId}'] [data-status='{status}']");

    [Fact]
    public async Task AResultPostedThroughTheApiCompletesALearnerOnTheManagersOpenPageWithinASecond()
    {
        var prepared = await PrepareAsync();
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, ManagerEmail, ManagerPassword);
        await page.GotoAsync($"/manage/certifications/{prepared.CertificationId}");
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await Assertions.Expect(StatusOf(page, prepared.LenaId, "NotStarted")).ToBeVisibleAsync();
        await Assertions.Expect(StatusOf(page, prepared.TheoId, "NotStarted")).ToBeVisibleAsync();

        var time = browser.Portal.Services.GetRequiredService<TimeProvider>();
        using var client = new HttpClient { BaseAddress = browser.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/results")
        {
            Content = JsonContent.Create(new
            {
                results = new[]
                {
                    new
                    {
                        externalId = $"roster-live-{Guid.NewGuid():N}",
                        learnerId = prepared.LenaId,
                        stepId = prepared.StepId,
                        score = 92.5m,
                        completedAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    },
                },
            }),
        };
        request.Headers.Add("X-Api-Key", prepared.ApiKey);
        using var response = await client.SendAsync(request);
        var answered = Stopwatch.StartNew();
        await StatusOf(page, prepared.LenaId, "Completed").WaitForAsync(new() { Timeout = 15_000 });
        answered.Stop();

        output.WriteLine($"The page showed the completion {answered.ElapsedMilliseconds} ms after the API answered.");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Contains("\"accepted\":1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(answered.Elapsed < TimeSpan.FromSeconds(1), $"The page took {answered.ElapsedMilliseconds} ms to show the completion.");
        await Assertions.Expect(StatusOf(page, prepared.TheoId, "NotStarted")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"[data-test='roster-grade'][data-learner-id='{prepared.LenaId}'] [data-test='grade-value']")).ToHaveTextAsync("92.5\u00A0%");
        await Assertions.Expect(page.Locator("[data-test='status-count'][data-status='Completed']")).ToHaveAttributeAsync("data-count", "1");
        await page.Context.CloseAsync();
    }
}
