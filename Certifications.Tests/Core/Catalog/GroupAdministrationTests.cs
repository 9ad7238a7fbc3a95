using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Catalog;

public sealed class GroupAdministrationTests : CatalogTestBed
{
    private Course forklift = null!;
    private Group warehouse = null!;
    private Group nightShift = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        forklift = await TestCatalog.AddCourseAsync(Database, "Forklift");
        warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse", forklift);
        nightShift = await TestCatalog.AddGroupAsync(Database, "Night shift", forklift);
    }

    private async Task<Guid> VersionAsync(int groupId) => (await Groups.GetForEditAsync(Alice, groupId))!.Version;

    [Fact]
    public async Task AGroupIsCreatedAndRenamedWithItsNameUniqueWhateverTheCaseAndEachChangeAudited()
    {
        var created = await Groups.CreateAsync(Alice, new GroupDraft { Name = " Finance " });
        var taken = await Groups.CreateAsync(Alice, new GroupDraft { Name = "warehouse" });
        var blank = await Groups.CreateAsync(Alice, new GroupDraft { Name = " " });

        Assert.True(created.Succeeded, created.Message);
        Assert.Equal([new FieldError("Name", "Another group is already called \u201cwarehouse\u201d. Choose a different name.")], taken.Errors);
        Assert.Equal([new FieldError("Name", "Enter the group's name.")], blank.Errors);

        var renamed = await Groups.RenameAsync(Bruno, created.Id!.Value, created.Version!.Value, new GroupDraft { Name = "Finance & Audit" });

        Assert.True(renamed.Succeeded, renamed.Message);
        Assert.Equal("Finance & Audit", (await Groups.GetForEditAsync(Alice, created.Id.Value))!.Name);
        var audit = await AuditAsync("Group");
        Assert.Equal(["Created", "Renamed"], audit.Select(a => a.Action));
        Assert.Equal("{\"Name\":{\"From\":\"Finance\",\"To\":\"Finance \\u0026 Audit\"}}", audit[1].Changes);
    }

    [Fact]
    public async Task AChangeFromAStaleVersionIsRefusedNamingWhoChangedTheGroup()
    {
        var version = await VersionAsync(warehouse.Id);
        Assert.True((await Groups.RenameAsync(Alice, warehouse.Id, version, new GroupDraft { Name = "Warehouse Operations" })).Succeeded);

        var refused = await Groups.RenameAsync(Bruno, warehouse.Id, version, new GroupDraft { Name = "Depot" });
        var refusedCourse = await Groups.RemoveCourseAsync(Bruno, warehouse.Id, version, forklift.Id);

        Assert.Equal(FailureKind.Conflict, refused.Failure);
        Assert.StartsWith("This group was changed by someone else: alice@example.com at 09:00 UTC on 2 Mar 2026", refused.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Conflict, refusedCourse.Failure);
        var group = await Groups.GetForEditAsync(Alice, warehouse.Id);
        Assert.Equal(("Warehouse Operations", 1), (group!.Name, group.Courses.Count));
    }

    [Fact]
    public async Task MembersAreListedInNameOrderOnePageAtATimeAndSearchedByNameOrEmail()
    {
        for (var i = 1; i <= 30; i++)
        {
            await LearnerAsync($"Member {i:00}", warehouse.Id);
        }

        await LearnerAsync("Outsider", nightShift.Id);

        var second = await Groups.MembersAsync(Alice, warehouse.Id, null, page: 1, pageSize: 25);
        var found = await Groups.MembersAsync(Alice, warehouse.Id, "member.07@", page: 0, pageSize: 25);

        Assert.Equal((30, 5), (second.Total, second.Items.Count));
        Assert.Equal("Member 26", second.Items[0].Name);
        Assert.Equal(["Member 07"], found.Items.Select(m => m.Name));
    }

    [Fact]
    public async Task AddingMembersToATargetedGroupSaysWhoGetsWhichCertification()
    {
        await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);
        await Certifications.CreateAsync(new CertificationDraft { Name = "Draft only", EffectiveFrom = new DateOnly(2026, 3, 1), CourseIds = [forklift.Id], GroupIds = [warehouse.Id] }, Alice);
        var ann = await LearnerAsync("Ann Able");
        var ben = await LearnerAsync("Ben Baker");
        var already = await LearnerAsync("Will Warehouse", warehouse.Id);

        var impact = await Groups.PreviewMembersAsync(Alice, warehouse.Id, [ben.Id, ann.Id, already.Id], []);

        var note = Assert.Single(impact.Notes);
        Assert.Equal(ImpactKind.Assigned, note.Kind);
        Assert.Equal("\u201cForklift Licence\u201d is assigned to Ann Able, Ben Baker.", note.Headline);
        Assert.Equal(2, note.Learners);
        Assert.Equal(["Forklift Licence"], note.Certifications);
        Assert.Empty((await Groups.MembersAsync(Alice, warehouse.Id, "Ann", 0, 25)).Items);
    }

    [Fact]
    public async Task RemovingMembersCountsOnlyUnfinishedAssignmentsWhoseLastSourceIsThisGroup()
    {
        var will = await LearnerAsync("Will Warehouse", warehouse.Id);
        var bea = await LearnerAsync("Bea Both", warehouse.Id, nightShift.Id);
        var cora = await LearnerAsync("Cora Completed", warehouse.Id);
        var ivy = await LearnerAsync("Ivy Individual", warehouse.Id);
        var certificationId = await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id, nightShift.Id);
        await using (var db = Database.CreateContext())
        {
            var coras = await db.Assignments.Include(a => a.Periods).SingleAsync(a => a.LearnerId == cora.Id);
            coras.Periods.Single().CompletedAt = Now;
            var ivys = await db.Assignments.SingleAsync(a => a.LearnerId == ivy.Id);
            db.AssignmentSources.Add(new AssignmentSource { AssignmentId = ivys.Id, Kind = AssignmentSourceKind.Individual, AddedAt = Now });
            await db.SaveChangesAsync();
        }

        var impact = await Groups.PreviewMembersAsync(Alice, warehouse.Id, [], [will.Id, bea.Id, cora.Id, ivy.Id]);

        var note = Assert.Single(impact.Notes);
        Assert.Equal(ImpactKind.Withdrawn, note.Kind);
        Assert.Equal("1 unfinished assignment of \u201cForklift Licence\u201d is withdrawn: Will Warehouse.", note.Headline);
        Assert.Equal(["Will Warehouse"], note.LearnerNames);
        Assert.Contains("A completion is never removed", note.Effect, StringComparison.Ordinal);
        Assert.EndsWith("3 other learners leaving keep it: they completed it, or hold it through another group or on their own.", note.Effect, StringComparison.Ordinal);
        Assert.Null((await AssignmentAsync(certificationId, will.Id)).WithdrawnAt);
    }

    [Fact]
    public async Task MembersJoiningAndLeavingAreAssignedAndWithdrawnAsThePreviewSaid()
    {
        var will = await LearnerAsync("Will Warehouse", warehouse.Id);
        var cora = await LearnerAsync("Cora Completed", warehouse.Id);
        var ann = await LearnerAsync("Ann Able");
        var certificationId = await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);
        await using (var db = Database.CreateContext())
        {
            var coras = await db.Assignments.Include(a => a.Periods).SingleAsync(a => a.LearnerId == cora.Id);
            coras.Periods.Single().CompletedAt = Now;
            await db.SaveChangesAsync();
        }

        var announced = new List<AssignmentsChanged>();
        using var subscription = Events.Subscribe(e =>
        {
            if (e is AssignmentsChanged changed)
            {
                announced.Add(changed);
            }

            return Task.CompletedTask;
        });
        Time.Advance(TimeSpan.FromHours(1));

        var preview = await Groups.PreviewMembersAsync(Alice, warehouse.Id, [ann.Id], [will.Id, cora.Id]);
        var outcome = await Groups.ChangeMembersAsync(Alice, warehouse.Id, await VersionAsync(warehouse.Id), [ann.Id], [will.Id, cora.Id]);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal([ImpactKind.Assigned, ImpactKind.Withdrawn], preview.Notes.Select(n => n.Kind));
        Assert.Equal(["Ann Able"], preview.Notes[0].LearnerNames);
        Assert.Equal(["Will Warehouse"], preview.Notes[1].LearnerNames);
        var anns = await AssignmentAsync(certificationId, ann.Id);
        Assert.Equal((null, Now), (anns.WithdrawnAt, anns.AssignedAt));
        var wills = await AssignmentAsync(certificationId, will.Id);
        Assert.Equal((Now, AssignmentStatus.Withdrawn), (wills.WithdrawnAt, wills.Status));
        var corasAfter = await AssignmentAsync(certificationId, cora.Id);
        Assert.NotNull(Assert.Single(corasAfter.Periods).CompletedAt);
        Assert.NotEqual(AssignmentStatus.Withdrawn, corasAfter.Status);
        Assert.Contains(announced, e => e.CertificationId == certificationId && e.LearnerIds.Contains(ann.Id) && e.LearnerIds.Contains(will.Id));
        var members = Assert.Single(await AuditAsync("Group", "MembersChanged"));
        Assert.Equal(
            "{\"Added\":[\"Ann Able \\u003Cann.able@example.com\\u003E\"],\"Removed\":[\"Cora Completed \\u003Ccora.completed@example.com\\u003E\",\"Will Warehouse \\u003Cwill.warehouse@example.com\\u003E\"],\"Members\":{\"From\":2,\"To\":1}}",
            members.Changes);
        Assert.Equal(3, (await AuditAsync("Learner", "GroupsChanged")).Count);
    }

    [Fact]
    public async Task AnAssignmentWithdrawnOnLeavingComesBackWithItsHistoryOnRejoining()
    {
        var will = await LearnerAsync("Will Warehouse", warehouse.Id);
        var certificationId = await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);
        var first = await AssignmentAsync(certificationId, will.Id);
        Assert.True((await Groups.ChangeMembersAsync(Alice, warehouse.Id, await VersionAsync(warehouse.Id), [], [will.Id])).Succeeded);

        var preview = await Groups.PreviewMembersAsync(Alice, warehouse.Id, [will.Id], []);
        Assert.True((await Groups.ChangeMembersAsync(Alice, warehouse.Id, await VersionAsync(warehouse.Id), [will.Id], [])).Succeeded);

        Assert.Equal("\u201cForklift Licence\u201d is assigned to Will Warehouse.", Assert.Single(preview.Notes).Headline);
        var again = await AssignmentAsync(certificationId, will.Id);
        Assert.Equal((first.Id, first.AssignedAt, (DateTime?)null), (again.Id, again.AssignedAt, again.WithdrawnAt));
    }

    [Fact]
    public async Task RemovingACourseFromAGroupTargetedByAPublishedCertificationNamesItFirstAndThenBlocksSavingIt()
    {
        await LearnerAsync("Will Warehouse", warehouse.Id);
        var certificationId = await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);
        var otherCourse = await TestCatalog.AddCourseAsync(Database, "Pedestrian Safety");
        var version = await VersionAsync(warehouse.Id);
        var added = await Groups.AddCourseAsync(Alice, warehouse.Id, version, otherCourse.Id);
        Assert.True(added.Succeeded, added.Message);

        var harmless = await Groups.PreviewCourseRemovalAsync(Alice, warehouse.Id, otherCourse.Id);
        var impact = await Groups.PreviewCourseRemovalAsync(Alice, warehouse.Id, forklift.Id);

        Assert.False(harmless.NeedsConfirmation);
        var note = Assert.Single(impact.Notes);
        Assert.Equal(ImpactKind.GroupLosesCourse, note.Kind);
        Assert.Equal("\u201cWarehouse\u201d is targeted by \u201cForklift Licence\u201d, which includes \u201cForklift\u201d: without it the group no longer has all its courses.", note.Headline);
        Assert.StartsWith("Its 1 member stay assigned", note.Effect, StringComparison.Ordinal);

        var removed = await Groups.RemoveCourseAsync(Alice, warehouse.Id, added.Version!.Value, forklift.Id);

        Assert.True(removed.Succeeded, removed.Message);
        Assert.Equal(["Pedestrian Safety"], (await Groups.GetForEditAsync(Alice, warehouse.Id))!.Courses.Select(c => c.Title));
        Assert.Equal(["CourseAssigned", "CourseRemoved"], (await AuditAsync("Group")).Select(a => a.Action));
        var draft = (await Certifications.GetForEditAsync(Alice, certificationId))!.Draft;
        draft.Description = "Edited";
        var save = await Certifications.UpdateAsync(draft, Alice);
        Assert.Contains(save.Errors, e => e.Message.StartsWith("Group \u201cWarehouse\u201d is not assigned \u201cForklift\u201d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CourseSearchOffersOnlyCoursesTheGroupDoesNotHaveYet()
    {
        await TestCatalog.AddCourseAsync(Database, "Forklift Refresher");

        var offered = await Groups.SearchCoursesAsync(Alice, warehouse.Id, "fork");

        Assert.Equal(["Forklift Refresher"], offered.Select(c => c.Title));
    }

    [Fact]
    public async Task ALearnerCannotChangeMembersAndNothingChanges()
    {
        var ann = await LearnerAsync("Ann Able");

        await Assert.ThrowsAsync<AccessDeniedException>(() => Groups.ChangeMembersAsync(Lena, warehouse.Id, warehouse.Version, [ann.Id], []));

        Assert.Equal(0, (await Groups.GetForEditAsync(Alice, warehouse.Id))!.MemberCount);
    }
}
