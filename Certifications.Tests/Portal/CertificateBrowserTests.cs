using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certificates;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class CertificateBrowserTests(BrowserFixture browser)
{
    private const string Name = "Certificate Download Check";

    /// <summary>
    /// A certification no other test uses, of a course of its own that nobody has results on (so neither the demo feed
    /// nor a recompute touches it), which the demo learner completed on 10 February 2026.
    /// </summary>
    private async Task<int> PrepareAsync()
    {
        var services = browser.Portal.Services;
        var factory = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        var course = new Course { Title = "Certificate check course", IsPublished = true, Steps = [new Step { Title = "Quiz", Position = 1, IsGraded = true }] };
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        }

        var certifications = services.GetRequiredService<CertificationService>();
        var admin = Actor.Admin("browser-test@example.com");
        var created = await certifications.CreateAsync(new CertificationDraft { Name = Name, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = [course.Id] }, admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, admin)).Succeeded);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var learnerId = await db.Learners.Where(l => l.NormalizedEmail == AccountSetup.DemoLearnerEmail.ToUpperInvariant()).Select(l => l.Id).SingleAsync();
            var at = new DateTime(2026, 2, 10, 9, 0, 0, DateTimeKind.Utc);
            var assignment = new Assignment
            {
                CertificationId = created.Id.Value,
                LearnerId = learnerId,
                AssignedAt = at.AddDays(-10),
                StatusChangedAt = at,
                Status = AssignmentStatus.Completed,
                CoursesSatisfied = 1,
                CoursesRequired = 1,
                Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = at.AddDays(-10) }],
                Periods = [new Period { Number = 1, WindowStart = at.AddDays(-10), CompletedAt = at, CourseGrades = [new PeriodCourseGrade { CourseId = course.Id, Grade = 90 }] }],
            };
            db.Assignments.Add(assignment);
            await db.SaveChangesAsync();
            return assignment.Id;
        }
    }

    [Fact]
    public async Task ALearnerDownloadsTheirCertificateFromTheirPanelAndItsCodeChecksOutWithoutSigningIn()
    {
        var assignmentId = await PrepareAsync();
        var page = await browser.OpenAsync("/me", "Learner");
        var card = page.Locator("[data-test='panel-certification']").Filter(new() { HasText = Name });
        var link = card.Locator("[data-test='certificate-download']").First;
        await Assertions.Expect(link).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = await download.PathAsync();

        Assert.EndsWith($"{Name}.pdf", download.SuggestedFilename, StringComparison.Ordinal);
        string text;
        using (var pdf = PdfDocument.Open(await File.ReadAllBytesAsync(path)))
        {
            text = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
        }

        Assert.Contains("Bob Safety", text, StringComparison.Ordinal);
        Assert.Contains(Name, text, StringComparison.Ordinal);
        Assert.Contains("Completed on 10 February 2026", text, StringComparison.Ordinal);
        Assert.Contains("Does not expire", text, StringComparison.Ordinal);

        var factory = browser.Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var code = VerificationCode.Display(await db.Certificates.Where(c => c.Period!.AssignmentId == assignmentId).Select(c => c.Code).SingleAsync());
        Assert.Contains(code, text, StringComparison.Ordinal);

        var visitor = await browser.NewPageAsync();
        await visitor.GotoAsync($"/verify/{code}");
        await Assertions.Expect(visitor.Locator("[data-test='verify-state']")).ToHaveAttributeAsync("data-state", "Valid");
        await Assertions.Expect(visitor.Locator("[data-test='verify-learner']")).ToHaveTextAsync("Bob Safety");
        await Assertions.Expect(visitor.Locator("[data-test='verify-certification']")).ToHaveTextAsync(Name);
        await Assertions.Expect(visitor.Locator("[data-test='verify-completed']")).ToHaveTextAsync("10 February 2026");
        Assert.DoesNotContain("/account/sign-in", visitor.Url, StringComparison.Ordinal);
    }
}
