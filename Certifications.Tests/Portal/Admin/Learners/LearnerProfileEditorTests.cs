using Bunit;
using Certifications.Core.Catalog;
using Certifications.Portal.Components.Pages.Admin.Learners;
using Certifications.Tests.Portal.Admin.Catalog;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Learners;

public sealed class LearnerProfileEditorTests : CatalogPageTestBed
{
    private int saved;

    private IRenderedComponent<LearnerProfileEditor> Open(int learnerId)
    {
        var cut = Context.Render<LearnerProfileEditor>(p => p.Add(e => e.LearnerId, learnerId).Add(e => e.OnSaved, () => saved++));
        cut.WaitForAssertion(() => cut.Find("[data-test='save-learner']"));
        return cut;
    }

    private static async Task ChooseAsync<T>(IRenderedComponent<LearnerProfileEditor> cut, string label, string text, Func<T, bool> which)
    {
        var picker = cut.FindComponents<MudAutocomplete<T>>().Single(a => a.Instance.Label == label);
        var found = await cut.InvokeAsync(async () => await picker.Instance.SearchFunc!(text, CancellationToken.None)! ?? []);
        await cut.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(found.Single(which)));
    }

    [Fact]
    public async Task AManagerWhoReportsToTheLearnerIsRefusedOnTheManagerFieldAndNothingIsSaved()
    {
        var ada = await LearnerAsync("Ada Top");
        var ben = await LearnerAsync("Ben Middle");
        await using (var db = Database.CreateContext())
        {
            await db.Learners.Where(l => l.Id == ben.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ManagerId, ada.Id));
        }

        var cut = Open(ada.Id);
        await ChooseAsync<LearnerOption>(cut, "Manager", "ben", l => l.Name == "Ben Middle");
        await cut.InvokeAsync(() => cut.Find("[data-test='save-learner']").Click());

        cut.WaitForAssertion(() => Assert.Contains(
            "Ben Middle reports to this learner, so cannot be their manager: the reporting line would go round in a loop.",
            cut.Markup,
            StringComparison.Ordinal));
        await using var check = Database.CreateContext();
        Assert.Null((await check.Learners.SingleAsync(l => l.Id == ada.Id)).ManagerId);
        Assert.Equal(0, saved);
    }

    [Fact]
    public async Task JoiningATargetedGroupSaysWhichCertificationComesWithItAndSavesOnConfirmation()
    {
        var ann = await LearnerAsync("Ann Able");
        var cut = Open(ann.Id);

        await ChooseAsync<GroupChoice>(cut, "Add to a group", "ware", g => g.Name == "Warehouse");
        cut.WaitForAssertion(() => Assert.Equal(["Warehouse"], cut.FindAll("[data-test='learner-group']").Select(g => g.TextContent.Trim())));
        await cut.InvokeAsync(() => cut.Find("[data-test='save-learner']").Click());

        Dialogs.WaitForAssertion(() => Assert.Equal(["\u201cForklift Licence\u201d is assigned to Ann Able."], ImpactNotes()));
        await Dialogs.InvokeAsync(() => DialogButton("confirm-impact").Click());

        cut.WaitForAssertion(() => Assert.Equal(1, saved));
        await using var db = Database.CreateContext();
        Assert.True(await db.GroupMembers.AnyAsync(m => m.LearnerId == ann.Id && m.GroupId == Warehouse.Id));
        Assert.Null((await db.Assignments.SingleAsync(a => a.LearnerId == ann.Id && a.CertificationId == LicenceId)).WithdrawnAt);
        Assert.Contains("Ann Able's profile is saved.", Snackbars(Severity.Success));
    }
}
