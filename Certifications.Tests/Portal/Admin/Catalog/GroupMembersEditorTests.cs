using Bunit;
using Certifications.Core.Catalog;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Pages.Admin.Catalog;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Catalog;

public sealed class GroupMembersEditorTests : CatalogPageTestBed
{
    private IRenderedComponent<GroupEditor> Open(int id)
    {
        var cut = Context.Render<GroupEditor>(p => p.Add(e => e.Id, id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test='member-name']")));
        return cut;
    }

    private static IReadOnlyList<string> Members(IRenderedComponent<GroupEditor> cut) => [.. cut.FindAll("[data-test='member-name']").Select(m => m.TextContent)];

    /// <summary>Picks a learner in the autocomplete as the admin would: searched by text, then chosen. Not awaited: a dialog may wait for the admin.</summary>
    private static async Task<Task> PickAsync(IRenderedComponent<GroupEditor> cut, string text, string name)
    {
        var picker = cut.FindComponent<MudAutocomplete<LearnerOption>>();
        var found = await cut.InvokeAsync(async () => await picker.Instance.SearchFunc!(text, CancellationToken.None)! ?? []);
        var learner = found.Single(l => l.Name == name);
        return cut.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(learner));
    }

    private async Task<(bool Member, DateTime? WithdrawnAt)?> StandingAsync(int learnerId)
    {
        await using var db = Database.CreateContext();
        var member = await db.GroupMembers.AnyAsync(m => m.GroupId == Warehouse.Id && m.LearnerId == learnerId);
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.CertificationId == LicenceId && a.LearnerId == learnerId);
        return assignment is null ? null : (member, assignment.WithdrawnAt);
    }

    [Fact]
    public async Task AddingALearnerToATargetedGroupSaysWhichCertificationTheyGetAndAddsThemOnlyOnConfirmation()
    {
        var ann = await LearnerAsync("Ann Able");
        var cut = Open(Warehouse.Id);

        var adding = await PickAsync(cut, "ann", "Ann Able");

        Dialogs.WaitForAssertion(() => Assert.Equal(["\u201cForklift Licence\u201d is assigned to Ann Able."], ImpactNotes()));
        Assert.StartsWith("At once, with all its courses", Assert.Single(ImpactEffects()), StringComparison.Ordinal);
        Assert.Null(await StandingAsync(ann.Id));
        await Dialogs.InvokeAsync(() => DialogButton("confirm-impact").Click());
        await adding;

        cut.WaitForAssertion(() => Assert.Equal(["Ann Able", "Will Warehouse"], Members(cut)));
        Assert.Equal((true, (DateTime?)null), await StandingAsync(ann.Id));
        Assert.Contains("Ann Able is now a member of \u201cWarehouse\u201d.", Snackbars(Severity.Success));
        cut.WaitForAssertion(() => Assert.Contains("Added: Ann Able <ann.able@example.com>", cut.Find("[data-test='history']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLearnerSearchOffersOnlyLearnersOutsideTheGroup()
    {
        await LearnerAsync("Wilma Outside");
        var cut = Open(Warehouse.Id);

        var picker = cut.FindComponent<MudAutocomplete<LearnerOption>>();
        var found = await cut.InvokeAsync(async () => await picker.Instance.SearchFunc!("wil", CancellationToken.None)! ?? []);

        Assert.Equal(["Wilma Outside"], found.Select(l => l.Name));
    }

    [Fact]
    public async Task RemovingAMemberAsksFirstSayingWhoseAssignmentIsWithdrawnAndCancelChangesNothing()
    {
        var cut = Open(Warehouse.Id);

        await cut.InvokeAsync(() => cut.Find("[data-test='remove-member']").Click());
        Dialogs.WaitForAssertion(() => Assert.StartsWith(
            "1 unfinished assignment of \u201cForklift Licence\u201d is withdrawn: Will Warehouse.",
            Assert.Single(ImpactNotes()),
            StringComparison.Ordinal));
        await Dialogs.InvokeAsync(() => DialogButton("cancel-impact").Click());
        Dialogs.WaitForAssertion(() => Assert.Empty(ImpactNotes()));
        Assert.Equal((true, (DateTime?)null), await StandingAsync(Will.Id));

        await cut.InvokeAsync(() => cut.Find("[data-test='remove-member']").Click());
        Dialogs.WaitForAssertion(() => DialogButton("confirm-impact"));
        await Dialogs.InvokeAsync(() => DialogButton("confirm-impact").Click());

        cut.WaitForAssertion(() => Assert.Contains("No members yet", cut.Markup, StringComparison.Ordinal));
        Assert.Equal((false, Time.GetUtcNow().UtcDateTime), await StandingAsync(Will.Id));
        await using var db = Database.CreateContext();
        Assert.Equal(AssignmentStatus.Withdrawn, (await db.Assignments.SingleAsync(a => a.LearnerId == Will.Id)).Status);
    }

    [Fact]
    public async Task AddingALearnerToAGroupNoPublishedCertificationTargetsAsksNothing()
    {
        var nightShift = await TestCatalog.AddGroupAsync(Database, "Night shift", Forklift);
        await LearnerAsync("Nell Night", nightShift.Id);
        var ann = await LearnerAsync("Ann Able");
        var cut = Open(nightShift.Id);

        await await PickAsync(cut, "ann", "Ann Able");

        cut.WaitForAssertion(() => Assert.Equal(["Ann Able", "Nell Night"], Members(cut)));
        Assert.Empty(Dialogs.FindAll("[data-test='confirm-impact']"));
        Assert.Null(await StandingAsync(ann.Id));
    }
}
