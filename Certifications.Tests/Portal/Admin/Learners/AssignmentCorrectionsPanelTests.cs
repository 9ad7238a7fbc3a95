using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.History;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Pages.Admin.Learners;
using Certifications.Portal.Components.Pages.Admin.Learners.Corrections;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Learners;

public sealed class AssignmentCorrectionsPanelTests : ComponentTestContext
{
    private IRenderedComponent<MudDialogProvider> dialogs = null!;
    private int assignmentId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        dialogs = Context.Render<MudDialogProvider>();
        var course = await TestCatalog.AddCourseAsync(Database, "Safety 101", gradedSteps: 1);
        await using var db = Database.CreateContext();
        var certificationId = await ProgressData.AddCertificationAsync(db, "Forklift", [course.Id], new DateOnly(2026, 3, 1));
        var bob = await TestCatalog.AddLearnerAsync(db, "Bob Safety");
        await ProgressData.AssignAsync(db, certificationId, bob.Id, Time.GetUtcNow().UtcDateTime);
        assignmentId = (await db.Assignments.SingleAsync()).Id;
        await Context.Services.GetRequiredService<ProgressRecompute>().RecomputeAllAsync();
    }

    private async Task<AssignmentStatus> StoredStatusAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.Assignments.AsNoTracking().SingleAsync()).Status;
    }

    [Fact]
    public async Task ExemptingNeedsAReasonAndTheExemptionIsLiftedFromTheSameCard()
    {
        var panel = Context.Render<AssignmentCorrectionsPanel>(p => p.Add(c => c.AssignmentId, assignmentId));
        panel.WaitForElement("button[data-test=exempt]");
        await panel.InvokeAsync(() => panel.Find("button[data-test=exempt]").Click());
        dialogs.WaitForElement("button[data-test=save-correction]");
        await dialogs.InvokeAsync(() => dialogs.Find("button[data-test=save-correction]").Click());

        dialogs.WaitForAssertion(() => Assert.Contains("Say why.", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(AssignmentStatus.NotStarted, await StoredStatusAsync());

        await dialogs.InvokeAsync(() => dialogs.Find("textarea").Input("Does not drive"));
        await dialogs.InvokeAsync(() => dialogs.Find("button[data-test=save-correction]").Click());

        panel.WaitForElement("button[data-test=lift-exemption]");
        Assert.Equal(AssignmentStatus.Exempt, await StoredStatusAsync());

        await panel.InvokeAsync(() => panel.Find("button[data-test=lift-exemption]").Click());
        dialogs.WaitForElement("textarea");
        await dialogs.InvokeAsync(() => dialogs.Find("textarea").Input("Drives again"));
        await dialogs.InvokeAsync(() => dialogs.Find("button[data-test=save-correction]").Click());

        panel.WaitForElement("button[data-test=exempt]");
        Assert.Equal(AssignmentStatus.NotStarted, await StoredStatusAsync());
    }

    [Fact]
    public async Task AMarkedCompletionsFileIsADownloadAndTheLearnersAuditTrailIsOneFromTheCardsHeader()
    {
        var corrections = Context.Services.GetRequiredService<RecordCorrections>();
        await corrections.MarkCompleteAsync(Actor.System, assignmentId, new MarkCompleteRequest
        {
            CompletedOn = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime),
            Evidence = "Paper certificate",
            File = new EvidenceFile("scan.pdf", "application/pdf", [1]),
        });
        await using var db = Database.CreateContext();
        var record = await db.CompletionRecords.AsNoTracking().SingleAsync();

        var panel = Context.Render<AssignmentCorrectionsPanel>(p => p.Add(c => c.AssignmentId, assignmentId));
        var header = Context.Render<LearnerCardHeader>(p => p
            .Add(h => h.LearnerId, record.LearnerId).Add(h => h.Name, "Bob Safety").Add(h => h.Email, "bob.safety@example.com").Add(h => h.Section, "Profile"));

        panel.WaitForElement("a[data-test=evidence-download]");
        Assert.Equal($"/evidence/{record.Id}", panel.Find("a[data-test=evidence-download]").GetAttribute("href"));
        Assert.Equal($"/exports/learners/{record.LearnerId}/audit-trail", header.Find("a[data-test=export-audit-trail]").GetAttribute("href"));
    }
}
