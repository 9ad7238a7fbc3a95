using Bunit;
using Certifications.Core.Catalog;
using Certifications.Portal.Components.Pages.Admin.Catalog;
using Certifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Catalog;

public sealed class CourseEditorTests : CatalogPageTestBed
{
    private IRenderedComponent<CourseEditor> Open(int id)
    {
        var cut = Context.Render<CourseEditor>(p => p.Add(e => e.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-test='save-course']"));
        return cut;
    }

    private static Task Toggle(IRenderedComponent<CourseEditor> cut, Func<MudSwitch<bool>, bool> which, bool on) =>
        cut.InvokeAsync(() => cut.FindComponents<MudSwitch<bool>>().Single(s => which(s.Instance)).Instance.ValueChanged.InvokeAsync(on));

    [Fact]
    public async Task UnpublishingACourseOfAPublishedCertificationWarnsFirstNamingItAndSavesOnlyWhenConfirmed()
    {
        var cut = Open(Forklift.Id);
        Assert.Contains("Forklift Licence", cut.Find("[data-test='including-certifications']").TextContent, StringComparison.Ordinal);

        await Toggle(cut, s => s.Label == "Published", false);
        await cut.InvokeAsync(() => cut.Find("[data-test='save-course']").Click());

        Dialogs.WaitForAssertion(() => Assert.Equal(
            ["Unpublishing \u201cForklift\u201d affects 1 published certification: \u201cForklift Licence\u201d; 1 learner holds it."],
            ImpactNotes()));
        Assert.Equal(
            ["Learners can no longer take the course. The certifications keep it until an admin edits them, and cannot be saved or published again until it is published again or removed from them; learners keep the progress they have."],
            ImpactEffects());
        await Dialogs.InvokeAsync(() => DialogButton("cancel-impact").Click());
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-test='impact-note']")));
        Assert.True((await StoredCourseAsync(Forklift.Id)).IsPublished);

        await cut.InvokeAsync(() => cut.Find("[data-test='save-course']").Click());
        Dialogs.WaitForAssertion(() => DialogButton("confirm-impact"));
        await Dialogs.InvokeAsync(() => DialogButton("confirm-impact").Click());

        cut.WaitForAssertion(() => Assert.Equal("Not published", cut.Find("[data-test='published-chip']").TextContent.Trim()));
        Assert.False((await StoredCourseAsync(Forklift.Id)).IsPublished);
        Assert.Contains("\u201cForklift\u201d is saved.", Snackbars(Severity.Success));
    }

    [Fact]
    public async Task StepsAreRenamedGradedMovedAndAddedAndSavedWithoutAskingWhenNoCertificationIncludesTheCourse()
    {
        var negotiation = await TestCatalog.AddCourseAsync(Database, "Negotiation", gradedSteps: 1, ungradedSteps: 1);
        var cut = Open(negotiation.Id);

        await cut.InvokeAsync(() => cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.UserAttributes.GetValueOrDefault("aria-label") as string == "Title of step 1")
            .Instance.ValueChanged.InvokeAsync("Role-play assessment"));
        await Toggle(cut, s => s.AriaLabel == "Step 2 is graded", true);
        await cut.InvokeAsync(() => cut.Find("button[aria-label='Move step 2 up']").Click());
        await cut.InvokeAsync(() => cut.Find("input[data-test='new-step-title']").Input("Final assessment"));
        await cut.InvokeAsync(() => cut.Find("[data-test='add-step']").Click());
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-test='step-row']").Count));
        await cut.InvokeAsync(() => cut.Find("[data-test='save-course']").Click());

        cut.WaitForAssertion(() => Assert.Contains("\u201cNegotiation\u201d is saved.", Snackbars(Severity.Success)));
        Assert.Empty(Dialogs.FindAll("[data-test='confirm-impact']"));
        var stored = await StoredCourseAsync(negotiation.Id);
        Assert.Equal(
            [("Negotiation step 2", true), ("Role-play assessment", true), ("Final assessment", true)],
            stored.Steps.OrderBy(s => s.Position).Select(s => (s.Title, s.IsGraded)));
    }

    [Fact]
    public async Task TurningACourseOfACertificationIntoATriggerCourseIsRefusedAtTheSwitchAndNothingIsSaved()
    {
        var cut = Open(Forklift.Id);

        await Toggle(cut, s => s.Label == "Trigger course", true);

        cut.WaitForAssertion(() => Assert.StartsWith(
            "This course is part of \u201cForklift Licence\u201d: a trigger course is started by an event and can never be part of a certification.",
            cut.Find("[data-test='trigger-error']").TextContent,
            StringComparison.Ordinal));
        await cut.InvokeAsync(() => cut.Find("[data-test='save-course']").Click());
        Assert.Empty(Dialogs.FindAll("[data-test='confirm-impact']"));
        Assert.False((await StoredCourseAsync(Forklift.Id)).IsTrigger);
        Assert.Empty(Snackbars(Severity.Success));
    }

    [Fact]
    public async Task ASaveAfterAnotherAdminChangedTheCourseSaysWhoAndReloadsTheirVersion()
    {
        var cut = Open(Forklift.Id);
        var courses = Context.Services.GetRequiredService<CourseAdministration>();
        var theirs = (await courses.GetForEditAsync(Admin with { Name = "bruno@example.com" }, Forklift.Id))!.Draft;
        theirs.Title = "Forklift Operation";
        Assert.True((await courses.UpdateAsync(Admin with { Name = "bruno@example.com" }, theirs)).Succeeded);

        await cut.InvokeAsync(() => cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "Title").Instance.ValueChanged.InvokeAsync("Forklift Driving"));
        await cut.InvokeAsync(() => cut.Find("[data-test='save-course']").Click());

        cut.WaitForAssertion(() => Assert.StartsWith(
            "This course was changed by someone else: bruno@example.com at 09:00 UTC on 2 Mar 2026, after you opened it.",
            cut.Find("[data-test='conflict']").TextContent.Trim(),
            StringComparison.Ordinal));
        await cut.InvokeAsync(() => cut.Find("[data-test='reload']").Click());
        cut.WaitForAssertion(() => Assert.Equal("Forklift Operation", cut.Find("h1").TextContent.Trim()));
        Assert.Equal("Forklift Operation", (await StoredCourseAsync(Forklift.Id)).Title);
    }
}
