using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Catalog;

public sealed class LearnerAdministrationTests : CatalogTestBed
{
    private async Task<LearnerDraft> OpenAsync(int id) => (await Learners.GetForEditAsync(Alice, id))!.Draft;

    private async Task<int> CreateAsync(string name, int? managerId = null, params int[] groups)
    {
        var outcome = await Learners.CreateAsync(Alice, new LearnerDraft
        {
            Name = name,
            Email = $"{name.Split(' ')[0].ToLowerInvariant()}@example.com",
            ManagerId = managerId,
            GroupIds = [.. groups],
        });
        Assert.True(outcome.Succeeded, outcome.Message);
        return outcome.Id!.Value;
    }

    [Fact]
    public async Task ANewLearnerIsSavedWithANormalizedEmailManagerAndGroupsAndAudited()
    {
        var finance = await TestCatalog.AddGroupAsync(Database, "Finance");
        var mia = await CreateAsync("Mia Manager");

        var outcome = await Learners.CreateAsync(Alice, new LearnerDraft { Name = " Nora New ", Email = " Nora@Example.com ", ManagerId = mia, GroupIds = [finance.Id] });

        Assert.True(outcome.Succeeded, outcome.Message);
        await using var db = Database.CreateContext();
        var nora = await db.Learners.AsNoTracking().Include(l => l.Groups).SingleAsync(l => l.Id == outcome.Id);
        Assert.Equal(("Nora New", "Nora@Example.com", "NORA@EXAMPLE.COM", mia), (nora.Name, nora.Email, nora.NormalizedEmail, nora.ManagerId));
        Assert.Equal([finance.Id], nora.Groups.Select(g => g.GroupId));
        var created = (await AuditAsync("Learner", "Created")).Last();
        Assert.Equal(
            "{\"Name\":\"Nora New\",\"Email\":\"Nora@Example.com\",\"Manager\":\"Mia Manager \\u003Cmia@example.com\\u003E\",\"Groups\":\"Finance\"}",
            created.Changes);
        var joined = Assert.Single(await AuditAsync("Group", "MembersChanged"));
        Assert.Contains("Nora New", joined.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmailAnotherLearnerHasInAnyCaseIsRefusedOnTheEmailField()
    {
        await CreateAsync("Bob Stone");

        var outcome = await Learners.CreateAsync(Alice, new LearnerDraft { Name = "Bob Again", Email = "BOB@Example.COM" });

        Assert.Equal([new FieldError("Email", "Another learner already has the email BOB@Example.COM.")], outcome.Errors);
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.Learners.CountAsync());
    }

    [Fact]
    public async Task AMissingNameAndAMalformedEmailGetClearFieldMessages()
    {
        var outcome = await Learners.CreateAsync(Alice, new LearnerDraft { Name = " ", Email = "Bob <bob@example.com>" });

        Assert.Equal(
            [new FieldError("Name", "Enter the learner's name."), new FieldError("Email", "Enter a valid email address, such as name@example.com.")],
            outcome.Errors);
    }

    [Fact]
    public async Task ALearnerCannotBeTheirOwnManager()
    {
        var ann = await CreateAsync("Ann Able");
        var draft = await OpenAsync(ann);
        draft.ManagerId = ann;

        var outcome = await Learners.UpdateAsync(Alice, draft);

        Assert.Equal([new FieldError("ManagerId", "A learner cannot be their own manager.")], outcome.Errors);
    }

    [Fact]
    public async Task AManagerWhoReportsToTheLearnerIsRefusedNamingTheLoop()
    {
        var ada = await CreateAsync("Ada Top");
        var ben = await CreateAsync("Ben Middle", managerId: ada);
        var cy = await CreateAsync("Cy Bottom", managerId: ben);
        var draft = await OpenAsync(ada);
        draft.ManagerId = cy;

        var impact = await Learners.PreviewAsync(Alice, draft);
        var outcome = await Learners.UpdateAsync(Alice, draft);

        const string Message = "Cy Bottom reports to this learner (Cy Bottom \u2192 Ben Middle \u2192 this learner), so cannot be their manager: the reporting line would go round in a loop.";
        Assert.Equal([new FieldError("ManagerId", Message)], impact.Refusals);
        Assert.Equal([new FieldError("ManagerId", Message)], outcome.Errors);
        Assert.Null((await OpenAsync(ada)).ManagerId);

        // Going the other way round is no loop.
        var cys = await OpenAsync(cy);
        cys.ManagerId = ada;
        Assert.True((await Learners.UpdateAsync(Alice, cys)).Succeeded);
    }

    [Fact]
    public async Task TheSecondOfTwoAdminsEditingTheSameLearnerIsRefusedAndNothingIsOverwritten()
    {
        var ann = await CreateAsync("Ann Able");
        var alices = await OpenAsync(ann);
        var brunos = await OpenAsync(ann);
        alices.Name = "Ann Able-Smith";
        Assert.True((await Learners.UpdateAsync(Alice, alices)).Succeeded);

        brunos.Email = "ann.b@example.com";
        var refused = await Learners.UpdateAsync(Bruno, brunos);

        Assert.Equal(FailureKind.Conflict, refused.Failure);
        Assert.StartsWith("This learner was changed by someone else: alice@example.com at 09:00 UTC", refused.Message, StringComparison.Ordinal);
        var after = await OpenAsync(ann);
        Assert.Equal(("Ann Able-Smith", "ann@example.com"), (after.Name, after.Email));
    }

    [Fact]
    public async Task ChangingGroupsIsRecordedOnTheLearnerAndOnEachGroupAndRenewsTheGroupsVersions()
    {
        var finance = await TestCatalog.AddGroupAsync(Database, "Finance");
        var sales = await TestCatalog.AddGroupAsync(Database, "Sales");
        var ann = await CreateAsync("Ann Able", null, finance.Id);
        var draft = await OpenAsync(ann);
        draft.GroupIds = [sales.Id];

        var outcome = await Learners.UpdateAsync(Bruno, draft);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(["Sales"], (await Learners.GetForEditAsync(Alice, ann))!.Groups.Select(g => g.Name));
        var updated = Assert.Single(await AuditAsync("Learner", "Updated"));
        Assert.Equal("{\"Groups\":{\"From\":\"Finance\",\"To\":\"Sales\"}}", updated.Changes);
        var groupTrail = await AuditAsync("Group", "MembersChanged");
        Assert.Contains(groupTrail, e => e.EntityId == sales.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && e.Actor == "bruno@example.com");
        Assert.NotEqual(sales.Version, (await Groups.GetForEditAsync(Alice, sales.Id))!.Version);
    }

    [Fact]
    public async Task JoiningAGroupTargetedByAPublishedCertificationIsPreviewedWithTheLearnersName()
    {
        var forklift = await TestCatalog.AddCourseAsync(Database, "Forklift");
        var warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse", forklift);
        await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);

        var impact = await Learners.PreviewAsync(Alice, new LearnerDraft { Name = "Nora New", Email = "nora@example.com", GroupIds = [warehouse.Id] });

        Assert.Equal(["\u201cForklift Licence\u201d is assigned to Nora New."], impact.Notes.Select(n => n.Headline));
    }

    [Fact]
    public async Task JoiningAndLeavingGroupsFromTheProfileAssignsAndWithdrawsCertifications()
    {
        var forklift = await TestCatalog.AddCourseAsync(Database, "Forklift");
        var warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse", forklift);
        var depot = await TestCatalog.AddGroupAsync(Database, "Depot", forklift);
        var licence = await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);
        var depotOnly = await PublishedCertificationAsync("Depot Induction", [forklift.Id], depot.Id);
        var nora = await CreateAsync("Nora New", null, warehouse.Id);
        Assert.Null((await AssignmentAsync(licence, nora)).WithdrawnAt);
        var draft = await OpenAsync(nora);
        draft.GroupIds = [depot.Id];

        var preview = await Learners.PreviewAsync(Alice, draft);
        var outcome = await Learners.UpdateAsync(Alice, draft);

        Assert.Equal(
            ["\u201cDepot Induction\u201d is assigned to Nora New.", "1 unfinished assignment of \u201cForklift Licence\u201d is withdrawn: Nora New."],
            preview.Notes.Select(n => n.Headline));
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.NotNull((await AssignmentAsync(licence, nora)).WithdrawnAt);
        Assert.Null((await AssignmentAsync(depotOnly, nora)).WithdrawnAt);
    }

    [Fact]
    public async Task LearnerSearchFindsByNameOrEmailOnePageAtATime()
    {
        for (var i = 1; i <= 12; i++)
        {
            await CreateAsync($"Person{i:00} Test");
        }

        var second = await Learners.SearchAsync(Alice, "test", page: 1, pageSize: 5);
        var byEmail = await Learners.SearchAsync(Alice, "person07@");

        Assert.Equal(12, second.Total);
        Assert.Equal(["Person06 Test", "Person07 Test", "Person08 Test", "Person09 Test", "Person10 Test"], second.Items.Select(l => l.Name));
        Assert.Equal(["Person07 Test"], byEmail.Items.Select(l => l.Name));
    }

    // SQLite's LIKE folds A to Z only; on PostgreSQL the search lowers both sides in the C collation to do the same.
    [Fact]
    public async Task LearnerSearchIgnoresTheCaseOfTheLettersAToZOnlyAndComparesEveryOtherLetterAsItIs()
    {
        foreach (var (name, email) in new[] { ("Zoë Adams", "adams@example.com"), ("ZOË BAKER", "baker@example.com"), ("Zoe Carter", "carter@example.com"), ("Émile Dupont", "dupont@example.com") })
        {
            Assert.True((await Learners.CreateAsync(Alice, new LearnerDraft { Name = name, Email = email })).Succeeded);
        }

        async Task<string[]> FoundAsync(string text) => [.. (await Learners.SearchAsync(Alice, text)).Items.Select(l => l.Name).Order(StringComparer.Ordinal)];

        Assert.Equal(["ZOË BAKER", "Zoe Carter", "Zoë Adams"], await FoundAsync("zO"));
        Assert.Equal(["Zoë Adams"], await FoundAsync("ZOë"));
        Assert.Equal(["ZOË BAKER"], await FoundAsync("zoË"));
        Assert.Equal(["Émile Dupont"], await FoundAsync("Émile DUPONT"));
        Assert.Empty(await FoundAsync("émile"));
    }
}

public sealed class ReportingRulesTests
{
    private static readonly ReportingLink Ann = new(1, "Ann");
    private static readonly ReportingLink Ben = new(2, "Ben");
    private static readonly ReportingLink Cy = new(3, "Cy");

    [Fact]
    public void AManagerWhoseLineReachesTheLearnerClosesALoop() =>
        Assert.Equal([Cy, Ben], ReportingRules.LoopThrough(1, [Cy, Ben, Ann]));

    [Fact]
    public void AManagerWhoseLineDoesNotReachTheLearnerIsNoLoop() =>
        Assert.Null(ReportingRules.LoopThrough(4, [Cy, Ben, Ann]));

    [Fact]
    public void ANewLearnerCanCloseNoLoop() =>
        Assert.Null(ReportingRules.LoopThrough(null, [Cy, Ben, Ann]));

    [Fact]
    public void ADirectReportChosenAsManagerIsNamed() =>
        Assert.Equal(
            "Ben reports to this learner, so cannot be their manager: the reporting line would go round in a loop.",
            ReportingRules.LoopMessage(ReportingRules.LoopThrough(1, [Ben, Ann])!));
}
