using Bunit;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Admin.Settings;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Portal.Admin.Settings;

public sealed class RecomputePanelTests : ComponentTestContext
{
    private readonly CommitGate gate = new();

    protected override IInterceptor[] Interceptors => [gate];

    /// <summary>A test that failed before letting the work go releases it here.</summary>
    public override async Task DisposeAsync()
    {
        gate.Release();
        await base.DisposeAsync();
    }

    /// <summary>Two certifications, of three and two learners: the recompute commits one batch per certification.</summary>
    private async Task FiveAssignmentsAsync()
    {
        var course = await TestCatalog.AddCourseAsync(Database, "Safety 101", gradedSteps: 1);
        await using var db = Database.CreateContext();
        foreach (var (name, learners) in new[] { ("Ladders", 3), ("Ropes", 2) })
        {
            var certificationId = await ProgressData.AddCertificationAsync(db, name, [course.Id], new DateOnly(2026, 3, 1));
            for (var i = 1; i <= learners; i++)
            {
                var learner = await TestCatalog.AddLearnerAsync(db, $"{name} Learner {i}");
                await ProgressData.AssignAsync(db, certificationId, learner.Id, Time.GetUtcNow().UtcDateTime);
            }
        }
    }

    [Fact]
    public async Task TheBarShowsHowFarTheRecomputeHasGotAndEndsInWhatChanged()
    {
        await FiveAssignmentsAsync();
        var cut = Context.Render<RecomputePanel>();
        gate.Hold = 2;

        await cut.InvokeAsync(() => cut.Find("[data-test='recompute-all']").Click());

        // The first certification's batch is in; the second waits at its commit.
        cut.WaitForAssertion(() =>
            Assert.Equal("Recomputing learners' progress: 3 of 5 (60 %)", cut.Find("[data-test='operation-progress-text']").TextContent.Trim()));
        Assert.Equal("60", cut.Find("[data-test='operation-progress-bar']").GetAttribute("data-value"));
        Assert.True(cut.Find("[data-test='recompute-all']").HasAttribute("disabled"));

        gate.Release();

        cut.WaitForAssertion(() => Assert.Equal("Recomputed 5 assignments: 5 assignments changed.", cut.Find("[data-test='recompute-result']").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-test='operation-progress']"));
        Assert.False(cut.Find("[data-test='recompute-all']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AnyoneButAnAdminIsRefusedWithTheReason()
    {
        SignInAs("manager@example.com", learnerId: null, PortalRoles.Manager);
        var cut = Context.Render<RecomputePanel>();

        await cut.InvokeAsync(() => cut.Find("[data-test='recompute-all']").Click());

        cut.WaitForAssertion(() => Assert.Contains("recomputing every learner's progress", cut.Find("[data-test='recompute-result']").TextContent, StringComparison.Ordinal));
    }
}
