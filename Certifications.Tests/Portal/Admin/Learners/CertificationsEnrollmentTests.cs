using AngleSharp.Dom;
using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Pages.Admin.Learners;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Learners;

/// <summary>The "Certifications Enrollment" page of a learner's profile card: "+" and "-", read-only group rows, SAVE.</summary>
public sealed class CertificationsEnrollmentTests : ComponentTestContext
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private IRenderedComponent<MudDialogProvider> dialogs = null!;
    private Learner bea = null!;
    private int safety;
    private int sales;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        dialogs = Context.Render<MudDialogProvider>();
        var course = await TestCatalog.AddCourseAsync(Database, "Safety 101", gradedSteps: 1);
        var warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse", course);
        await using (var db = Database.CreateContext())
        {
            bea = await TestCatalog.AddLearnerAsync(db, "Bea Both");
            db.GroupMembers.Add(new GroupMember { GroupId = warehouse.Id, LearnerId = bea.Id, JoinedAt = Time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }

        safety = await PublishAsync("Workplace Safety", course.Id, warehouse.Id);
        sales = await PublishAsync("Sales 101", course.Id);
    }

    private async Task<int> PublishAsync(string name, int courseId, params int[] groups)
    {
        var service = Context.Services.GetRequiredService<CertificationService>();
        var created = await service.CreateAsync(
            new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 3, 1), CourseIds = [courseId], GroupIds = [.. groups] }, Admin);
        await service.PublishAsync(created.Id!.Value, created.Version!.Value, Admin);
        return created.Id.Value;
    }

    private IRenderedComponent<CertificationsEnrollment> RenderPage()
    {
        var cut = Context.Render<CertificationsEnrollment>(p => p.Add(c => c.LearnerId, bea.Id));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        return cut;
    }

    private static IElement Row(IRenderedComponent<CertificationsEnrollment> cut, string name) =>
        cut.FindAll("tbody tr").Single(r => r.QuerySelector("td")!.TextContent.Contains(name, StringComparison.Ordinal));

    private async Task<Assignment?> AssignmentAsync(int certificationId)
    {
        await using var db = Database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Sources)
            .SingleOrDefaultAsync(a => a.CertificationId == certificationId && a.LearnerId == bea.Id);
    }

    [Fact]
    public void AGroupHeldCertificationIsReadOnlyAndNamesTheGroup()
    {
        var cut = RenderPage();

        var grouped = Row(cut, "Workplace Safety");
        Assert.Equal("Group Warehouse", grouped.QuerySelector("[data-test='held-through']")!.TextContent.Trim());
        Assert.Empty(grouped.QuerySelectorAll("button"));
        Assert.NotNull(grouped.QuerySelector("[aria-label='Read-only: assigned through a group']"));
        Assert.NotNull(Row(cut, "Sales 101").QuerySelector("button[data-test='add']"));
    }

    [Fact]
    public async Task PlusChangesNothingUntilSaveThenEnrolsTheLearner()
    {
        var cut = RenderPage();

        await cut.InvokeAsync(() => Row(cut, "Sales 101").QuerySelector("button[data-test='add']")!.Click());

        Assert.Equal("Added on save", Row(cut, "Sales 101").QuerySelector("[data-test='pending']")!.TextContent);
        Assert.Equal("1 unsaved change.", cut.Find("[data-test='unsaved']").TextContent.Trim());
        Assert.Null(await AssignmentAsync(sales));

        await cut.InvokeAsync(() => cut.Find("button[data-test='save']").Click());

        cut.WaitForAssertion(() => Assert.Equal("No unsaved changes.", cut.Find("[data-test='unsaved']").TextContent.Trim()));
        Assert.Equal(AssignmentSourceKind.Individual, (await AssignmentAsync(sales))!.Sources.Single().Kind);
        Assert.Contains("Enrolled in \u201cSales 101\u201d.", Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message));
        cut.WaitForAssertion(() => Assert.NotNull(Row(cut, "Sales 101").QuerySelector("button[data-test='remove']")));
    }

    [Fact]
    public async Task PressingPlusThenMinusLeavesNothingToSave()
    {
        var cut = RenderPage();

        await cut.InvokeAsync(() => Row(cut, "Sales 101").QuerySelector("button[data-test='add']")!.Click());
        await cut.InvokeAsync(() => Row(cut, "Sales 101").QuerySelector("button[data-test='remove']")!.Click());

        Assert.Equal("No unsaved changes.", cut.Find("[data-test='unsaved']").TextContent.Trim());
        Assert.True(cut.Find("button[data-test='save']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task MinusAndSaveWithdrawsAnIndividualOnlyEnrolment()
    {
        await Context.Services.GetRequiredService<EnrollmentService>().SaveIndividualAsync(Admin, bea.Id, [sales], []);
        var cut = RenderPage();

        await cut.InvokeAsync(() => Row(cut, "Sales 101").QuerySelector("button[data-test='remove']")!.Click());
        await cut.InvokeAsync(() => cut.Find("button[data-test='save']").Click());

        cut.WaitForAssertion(() => Assert.Equal("Not enrolled", Row(cut, "Sales 101").QuerySelectorAll("td")[1].TextContent.Trim()));
        var withdrawn = await AssignmentAsync(sales);
        Assert.Equal((AssignmentStatus.Withdrawn, 0), (withdrawn!.Status, withdrawn.Sources.Count));
        Assert.Equal(AssignmentStatus.NotStarted, (await AssignmentAsync(safety))!.Status);
    }

    [Fact]
    public async Task LeavingWithUnsavedChangesAsksFirstAndStayingKeepsThem()
    {
        var cut = RenderPage();
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        await cut.InvokeAsync(() => Row(cut, "Sales 101").QuerySelector("button[data-test='add']")!.Click());

        await cut.InvokeAsync(() => navigation.NavigateTo("/admin"));

        dialogs.WaitForAssertion(() => Assert.Contains("Leave without saving?", dialogs.Markup, StringComparison.Ordinal));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stay").Click());
        Assert.Equal(before, navigation.Uri);
        Assert.Equal("1 unsaved change.", cut.Find("[data-test='unsaved']").TextContent.Trim());
        Assert.Null(await AssignmentAsync(sales));
    }
}
