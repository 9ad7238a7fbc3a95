using Bunit;
using MudBlazor.Extensions;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Portal.Components.Pages.Admin.Certifications;
using Certifications.Portal.Components.Pages.Admin.Certifications.Wizard;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Admin.Wizard;

public sealed class WizardTests : ComponentTestContext
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private Course safety = null!;
    private Course forklift = null!;
    private Course welcome = null!;
    private Group warehouse = null!;
    private Group sales = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        safety = await TestCatalog.AddCourseAsync(Database, "Safety 101");
        forklift = await TestCatalog.AddCourseAsync(Database, "Forklift Operation");
        welcome = await TestCatalog.AddCourseAsync(Database, "Welcome video", gradedSteps: 0, ungradedSteps: 1);
        await TestCatalog.AddCourseAsync(Database, "Onboarding (trigger)", trigger: true);
        warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse Operations", safety, forklift);
        sales = await TestCatalog.AddGroupAsync(Database, "Sales EMEA", safety);
    }

    private WizardState NewState() => new(Context.Services.GetRequiredService<CertificationService>(), Admin);

    private static Func<object, string, Task<IEnumerable<string>>> FieldRules(WizardState state) => (_, path) => state.ValidateFieldAsync(path);

    [Fact]
    public async Task TheDueDateShowsForAOneTimeCertificationAndTheRenewalPeriodOnlyWithRenewalOn()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        var cut = Context.Render<TimingStep>(p => p.Add(s => s.State, state).Add(s => s.Validate, FieldRules(state)));

        Assert.Contains("Due Date for Non-Recurring Certifications", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Renewal period", cut.Markup, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));

        cut.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("Due Date for Non-Recurring Certifications", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("Renewal period", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("Advanced renewal settings", cut.Markup, StringComparison.Ordinal);
        });
        Assert.Equal(12, state.Draft.RenewalPeriodMonths);
    }

    [Fact]
    public async Task ChoosingMonthlyRenewalBringsTheRenewalWindowWithinHalfThePeriod()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        var cut = Context.Render<TimingStep>(p => p.Add(s => s.State, state).Add(s => s.Validate, FieldRules(state)));
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<int?>>().Instance.ValueChanged.InvokeAsync(1));

        Assert.Equal(15, state.Draft.RenewalWindowDays);
    }

    [Fact]
    public async Task TheStepsPanelCountsCoursesAndGroupsInWords()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        state.Draft.CourseIds.Add(safety.Id);
        state.Draft.GroupIds.Add(warehouse.Id);
        state.Draft.GroupIds.Add(sales.Id);

        var cut = Context.Render<WizardSteps>(p => p.Add(s => s.State, state).Add(s => s.Active, 0));

        Assert.Contains("1 course, pass at 70 %", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("2 groups", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("(s)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATooShortNameShowsItsMessageAtTheNameField()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        var cut = Context.Render<DetailsStep>(p => p.Add(s => s.State, state).Add(s => s.Validate, FieldRules(state)));

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudTextField<string>>().Instance.ValueChanged.InvokeAsync("ab"));

        cut.WaitForAssertion(() => Assert.Contains("The name must be 3 to 100 characters long.", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddingACourseATargetedGroupLacksIsRefusedWithTheGroupAndCourseNamed()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        Assert.Null(await state.AddCourseAsync(new CourseOption(safety.Id, "Safety 101", 2, 2)));
        await state.AddGroupAsync(sales.Id);

        var refusal = await state.AddCourseAsync(new CourseOption(forklift.Id, "Forklift Operation", 2, 2));

        Assert.Equal("\u201cForklift Operation\u201d cannot be added: the targeted group \u201cSales EMEA\u201d is not assigned it. Assign the course to the group first, or remove the group.", refusal);
        Assert.Equal([safety.Id], state.Draft.CourseIds);
    }

    [Fact]
    public async Task TheCourseStepFlagsACourseWithoutGradedStepsAndTheGroupStepExplainsAnEmptyList()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        await state.AddCourseAsync(new CourseOption(welcome.Id, "Welcome video", 1, 0));

        var courses = Context.Render<CoursesStep>(p => p.Add(s => s.State, state).Add(s => s.Validate, FieldRules(state)));
        var groups = Context.Render<GroupsStep>(p => p.Add(s => s.State, state));

        Assert.Contains("no graded step", courses.Find("[data-test='included-course']").TextContent, StringComparison.Ordinal);
        Assert.Contains("open to any learner", groups.Find("[data-test='no-groups']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheGroupSearchDisablesGroupsLackingACourseAndNamesWhatTheyLack()
    {
        var search = Context.Services.GetRequiredService<CatalogSearch>();

        var page = await search.SearchGroupsAsync(Admin, null, [safety.Id, forklift.Id]);

        var byName = page.Items.ToDictionary(g => g.Name);
        Assert.True(byName["Warehouse Operations"].IsEligible);
        Assert.Equal(["Forklift Operation"], byName["Sales EMEA"].MissingCourses);
        Assert.DoesNotContain((await search.SearchCoursesAsync(Admin, "onboarding")).Items, c => c.Title.Contains("trigger", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SavingFromTheWizardCreatesADraft()
    {
        var cut = Context.Render<CertificationWizard>();
        cut.WaitForAssertion(() => Assert.Contains("New certification", cut.Markup, StringComparison.Ordinal));
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Fire Drill 2027"));

        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Contains("Save as draft", StringComparison.Ordinal)).Click());

        await using var db = Database.CreateContext();
        cut.WaitForAssertion(() => Assert.Equal("Fire Drill 2027", db.Certifications.AsNoTracking().Single().Name));
        Assert.Equal(CertificationState.Draft, (await db.Certifications.AsNoTracking().SingleAsync()).State);
    }

    [Fact]
    public async Task ASavedCertificationOffersItsLearnersAndItsAuditTrailAsCsvDownloads()
    {
        var created = await Context.Services.GetRequiredService<CertificationService>().CreateAsync(
            new CertificationDraft { Name = "Fire Drill", EffectiveFrom = new DateOnly(2026, 3, 1), CourseIds = [safety.Id] }, Admin);

        var cut = Context.Render<CertificationWizard>(p => p.Add(w => w.Id, created.Id));

        cut.WaitForElement("[data-test=certification-exports]");
        var learners = cut.Find("a[data-test=export-learners]");
        var trail = cut.Find("a[data-test=export-audit-trail]");
        Assert.Equal($"/exports/certifications/{created.Id}/learners", learners.GetAttribute("href"));
        Assert.Equal($"/exports/certifications/{created.Id}/audit-trail", trail.GetAttribute("href"));
        Assert.True(learners.HasAttribute("download"));
    }

    [Fact]
    public async Task TheSecondOfTwoAdminsSeesTheConflictAndReloadBringsTheOtherAdminsVersion()
    {
        var service = Context.Services.GetRequiredService<CertificationService>();
        var created = await service.CreateAsync(new CertificationDraft { Name = "Fire Drill", EffectiveFrom = new DateOnly(2026, 3, 1), CourseIds = [safety.Id] }, Admin);
        var alice = NewState();
        var bruno = new WizardState(service, Actor.Admin("bruno@example.com"));
        await alice.LoadAsync(created.Id, default);
        await bruno.LoadAsync(created.Id, default);

        alice.Draft.Description = "Alice's words";
        Assert.True(await alice.SaveAsync());
        bruno.Draft.Description = "Bruno's words";
        Assert.False(await bruno.SaveAsync());

        Assert.True(bruno.IsConflict);
        Assert.Contains("changed by someone else (admin@example.com", bruno.Errors[0].Message, StringComparison.Ordinal);
        await bruno.LoadAsync(bruno.Draft.Id, default);
        Assert.False(bruno.IsConflict);
        Assert.Equal("Alice's words", bruno.Draft.Description);
        Assert.Equal(alice.Draft.Version, bruno.Draft.Version);
    }

    [Fact]
    public async Task PublishRulesMarkTheStepsAtFaultInThePanel()
    {
        var state = NewState();
        await state.LoadAsync(null, new DateOnly(2026, 3, 2));
        state.Draft.Name = "x";

        Assert.False(await state.ValidateAllAsync(ValidationPurpose.Publish));

        Assert.Equal([true, false, true, false], Enumerable.Range(0, 4).Select(state.StepHasErrors));
        var panel = Context.Render<WizardSteps>(p => p.Add(s => s.State, state).Add(s => s.Active, 0));
        Assert.Equal([true, false, true, false], panel.FindComponents<MudBlazor.MudStep>().Select(step => step.Instance.GetState(x => x.HasError)));
    }
}
