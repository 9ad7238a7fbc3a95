using Bunit;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Pages.Admin.Import;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Admin.Import;

public sealed class ImportPageTests : ComponentTestContext
{
    private readonly CommitGate gate = new();

    protected override Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] Interceptors => [gate];

    /// <summary>A test that failed before letting the work go releases it here.</summary>
    public override async Task DisposeAsync()
    {
        gate.Release();
        await base.DisposeAsync();
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var course = await TestCatalog.AddCourseAsync(Database, "Safety 101", gradedSteps: 1);
        await using var db = Database.CreateContext();
        var certificationId = await ProgressData.AddCertificationAsync(db, "Forklift", [course.Id], new DateOnly(2026, 3, 1));
        var bob = await TestCatalog.AddLearnerAsync(db, "Bob Safety");
        await ProgressData.AssignAsync(db, certificationId, bob.Id, Time.GetUtcNow().UtcDateTime);
        await Context.Services.GetRequiredService<ProgressRecompute>().RecomputeAllAsync();
    }

    private IRenderedComponent<ImportPage> Upload(string csv)
    {
        var page = Context.Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "history.csv"));
        return page;
    }

    [Fact]
    public async Task ThePreviewShowsEachRowsVerdictAndTheTotalsAndApplyingStoresThem()
    {
        var page = Upload("learner,certification,completed_at\nbob.safety@example.com,Forklift,2026-02-15\nbob.safety@example.com,Forklift,2026-02-20\n");

        page.WaitForAssertion(() => Assert.Equal(["NewPeriod", "KeptAsHistory"], page.FindAll("[data-test=row-verdict]").Select(v => v.GetAttribute("data-verdict"))));
        Assert.Contains("nothing saved yet: 1 new period, 0 earlier completions, 1 kept as history, 0 already recorded.", page.Find("[data-test=import-summary]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["2", "3"], page.FindAll("[data-test=row-line]").Select(c => c.TextContent));
        await using (var db = Database.CreateContext())
        {
            Assert.Equal(0, await db.CompletionRecords.CountAsync());
        }

        await page.Find("[data-test=apply-import] button, button[data-test=apply-import]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.StartsWith("Applied history.csv", page.Find("[data-test=import-summary]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-test=apply-import]"));
        await using var after = Database.CreateContext();
        Assert.Equal(2, await after.CompletionRecords.CountAsync());
        Assert.Equal(AssignmentStatus.Completed, (await after.Assignments.SingleAsync()).Status);
    }

    [Fact]
    public async Task ApplyingShowsHowFarItHasGotAndEndsInTheSummary()
    {
        var page = Upload("learner,certification,completed_at\nbob.safety@example.com,Forklift,2026-02-15\n");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test=row-verdict]")));
        gate.Hold = 1;

        // Clicked without waiting for the handler, which waits for the gate.
        await page.InvokeAsync(() => page.Find("[data-test=apply-import] button, button[data-test=apply-import]").Click());

        // The rows are checked and the learner recomputed; the transaction waits at its commit.
        page.WaitForAssertion(() => Assert.Equal(
            "Recomputing learners' progress: 1 of 1 (100 %)", page.Find("[data-test=import-progress] [data-test=operation-progress-text]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-test=apply-import]"));

        gate.Release();

        page.WaitForAssertion(() => Assert.StartsWith("Applied history.csv", page.Find("[data-test=import-summary]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-test=import-progress]"));
    }

    [Fact]
    public void AFileWithABadRowNamesItAndOffersNoApply()
    {
        var page = Upload("learner,certification,completed_at\nbob.safety@example.com,Forklift,2026-02-15\nnobody@example.com,Forklift,2026-02-15\n");

        page.WaitForAssertion(() => Assert.Contains(
            "Nothing can be applied: 1 row is bad. The first is line 3: No learner has the email or id \"nobody@example.com\".",
            page.Find("[data-test=import-summary]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-test=apply-import]"));
        Assert.Equal("UnknownLearner", page.FindAll("[data-test=row-verdict]")[1].GetAttribute("data-verdict"));
    }

    [Fact]
    public void AFileWithoutTheColumnsIsRefusedWithWhatIsMissing()
    {
        var page = Upload("name,date\nBob,2026-02-15\n");

        page.WaitForAssertion(() => Assert.Contains("\"learner\" is missing", page.Find("[data-test=import-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-test=import-summary]"));
    }
}
