using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;
using Certifications.Portal.Components.Pages.Admin.Certifications;
using Certifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Admin;

public sealed class CertificationListTests : ComponentTestContext
{
    private int courseId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        courseId = (await TestCatalog.AddCourseAsync(Database, "Safety 101")).Id;
    }

    private Task<CertificationOutcome> CreateAsync(string name, bool invisible = false) =>
        Context.Services.GetRequiredService<CertificationService>().CreateAsync(
            new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = [courseId], IsInvisible = invisible },
            Actor.Admin("admin@example.com"));

    [Fact]
    public async Task AnEmptyPortalExplainsWhatACertificationIs()
    {
        var cut = Context.Render<CertificationList>();
        cut.WaitForAssertion(() => Assert.Contains("No certifications yet", cut.Markup, StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task RowsShowStateRenewalAndTheInvisibleChip()
    {
        await CreateAsync("Workplace Safety", invisible: true);

        var cut = Context.Render<CertificationList>();

        cut.WaitForAssertion(() =>
        {
            var name = cut.Find("[data-test='certification-name']");
            Assert.Equal("Workplace Safety", name.TextContent);
            Assert.Contains("Invisible", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("Draft", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("One-time", cut.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ACertificationSavedElsewhereAppearsWithoutAReload()
    {
        var cut = Context.Render<CertificationList>();
        cut.WaitForAssertion(() => Assert.Contains("No certifications yet", cut.Markup, StringComparison.Ordinal));

        await CreateAsync("Fire Warden");

        cut.WaitForAssertion(() => Assert.Equal("Fire Warden", cut.Find("[data-test='certification-name']").TextContent));
    }

    [Fact]
    public async Task LeavingThePageStopsListening()
    {
        var hub = Context.Services.GetRequiredService<EventHub>();
        var cut = Context.Render<CertificationList>();
        Assert.Equal(1, hub.SubscriberCount);

        await Context.DisposeComponentsAsync();

        Assert.Equal(0, hub.SubscriberCount);
        Assert.NotNull(cut);
    }
}

public sealed class CertificationListAccessTests : ComponentTestContext
{
    [Fact]
    public async Task ALearnerReachingTheAdminListIsRefusedByTheServiceAndTheAttemptIsAudited()
    {
        SignInAs("bob@example.com", learnerId: 7, PortalRoles.Learner);

        var error = await Record.ExceptionAsync(async () =>
        {
            Context.Render<CertificationList>();

            // On a database server the page's first read, and so the refusal, comes after the first render.
            throw await Context.Renderer.UnhandledException.WaitAsync(TimeSpan.FromSeconds(10));
        });

        Assert.IsType<AccessDeniedException>(error);
        await using var db = Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "AccessDenied");
        Assert.Equal("bob@example.com", entry.Actor);
    }
}
