using Certifications.Core.Catalog;
using Certifications.Core.Persistence;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class ImportBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnAdminUploadsHistorySeesEachRowsVerdictAppliesItAndTheLearnersHistoryShowsIt()
    {
        // A certification and learner of this test's own, in the portal the browser tests share.
        await using var db = await browser.Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();
        var course = new Course { Title = "Import browser course", IsPublished = true, Steps = [new Step { Title = "Quiz", Position = 1, IsGraded = true }] };
        db.Courses.Add(course);
        var learner = new Learner { Name = "Ida Imported", Email = "ida.imported@example.com", NormalizedEmail = "IDA.IMPORTED@EXAMPLE.COM" };
        db.Learners.Add(learner);
        await db.SaveChangesAsync();
        var certificationId = await ProgressData.AddCertificationAsync(db, "Imported Browser Certification", [course.Id], new DateOnly(2024, 1, 1));
        await ProgressData.AssignAsync(db, certificationId, learner.Id, new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc));

        var page = await browser.OpenAsync("/admin/import");
        await Assertions.Expect(page.Locator("[data-test='import-file']")).ToBeEnabledAsync();
        await page.Locator("[data-test='import-file']").SetInputFilesAsync(new FilePayload
        {
            Name = "history.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(
                "learner,certification,completed_at,evidence\nida.imported@example.com,Imported Browser Certification,2024-02-15,Old LMS\nnobody.at.all@example.com,Imported Browser Certification,2024-02-15,\n"),
        });
        await Assertions.Expect(page.Locator("[data-test='import-summary']")).ToContainTextAsync("The first is line 3");
        await Assertions.Expect(page.Locator("[data-test='apply-import']")).ToHaveCountAsync(0);

        await page.Locator("[data-test='import-file']").SetInputFilesAsync(new FilePayload
        {
            Name = "history-fixed.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("learner,certification,completed_at,evidence\nida.imported@example.com,Imported Browser Certification,2024-02-15,Old LMS\n"),
        });
        await Assertions.Expect(page.Locator("[data-test='import-summary']")).ToContainTextAsync("Checked history-fixed.csv, nothing saved yet: 1 new period");
        await Assertions.Expect(page.Locator("[data-test='row-verdict']")).ToHaveAttributeAsync("data-verdict", "NewPeriod");
        await page.Locator("[data-test='apply-import']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test='import-summary']")).ToContainTextAsync("Applied history-fixed.csv: 1 new period");

        await page.GotoAsync(new Uri(browser.BaseAddress, $"/admin/learners/{learner.Id}").ToString());
        var card = page.Locator($"[data-test='panel-certification'][data-certification-id='{certificationId}']");
        await Assertions.Expect(card.Locator("[data-test='correction']")).ToContainTextAsync("Imported completion of 15 Feb 2024: Old LMS");
        await Assertions.Expect(card.Locator("[data-test='status-summary']")).ToHaveAttributeAsync("title", "Completed on 15 Feb 2024 (imported history: Old LMS).");
        await page.CloseAsync();
    }
}
