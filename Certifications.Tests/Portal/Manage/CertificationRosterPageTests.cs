using System.Text;
using Bunit;
using Certifications.Core.Catalog;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Manage;
using Certifications.Portal.Components.Shared;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.JSInterop;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Certifications.Tests.Portal.Manage;

/// <summary>
/// A certification's learners as their manager sees them at /manage/certifications/{id}: rows, filters, sorting, the
/// status chart, the CSV export, and rows that follow events without a reload.
/// </summary>
public sealed class CertificationRosterPageTests : ManagePageTestContext
{
    /// <summary>Ann has completed, Ben is in progress at 65 % on Safety 101, Cleo has not started; Otto is not Mia's.</summary>
    private async Task PlayedAsync()
    {
        await PlayQuietlyAsync(Ann, Safety, Now.AddMinutes(-50), 80, 90);
        await PlayQuietlyAsync(Ann, FirstAid, Now.AddMinutes(-40), 75);
        await PlayQuietlyAsync(Ben, Safety, Now.AddMinutes(-30), 60, 70);
        await PlayQuietlyAsync(Otto, Safety, Now.AddMinutes(-30), 100, 100);
    }

    private IRenderedComponent<CertificationRosterPage> Render(int? id = null)
    {
        var cut = Context.Render<CertificationRosterPage>(p => p.Add(c => c.Id, id ?? CertificationId));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test='roster-name'], [data-test='no-rows']")));
        return cut;
    }

    private static IReadOnlyList<string> Names(IRenderedComponent<CertificationRosterPage> cut) =>
        [.. cut.FindAll("[data-test='roster-name']").Select(a => a.TextContent.Trim())];

    private static string StatusOf(IRenderedComponent<CertificationRosterPage> cut, Learner learner) =>
        cut.Find($"[data-test='roster-status'][data-learner-id='{learner.Id}'] [data-status]").GetAttribute("data-status")!;

    private static string GradeOf(IRenderedComponent<CertificationRosterPage> cut, Learner learner, Course course)
    {
        var cell = cut.Find($"[data-test='roster-grade'][data-learner-id='{learner.Id}'][data-course-id='{course.Id}']");
        return (cell.QuerySelector("[data-test='grade-value']") ?? cell).TextContent.Replace('\u00A0', ' ').Trim();
    }

    private static IReadOnlyList<(string, string)> ChartCounts(IRenderedComponent<CertificationRosterPage> cut) =>
        [.. cut.FindAll("[data-test='status-count']").Select(li => (li.GetAttribute("data-status")!, li.GetAttribute("data-count")!))];

    private static Task FilterByStatusAsync(IRenderedComponent<CertificationRosterPage> cut, AssignmentStatus? status) =>
        cut.InvokeAsync(() => cut.FindComponent<MudSelect<AssignmentStatus?>>().Instance.ValueChanged.InvokeAsync(status));

    private static Task SearchAsync(IRenderedComponent<CertificationRosterPage> cut, string text) =>
        cut.InvokeAsync(() => cut.FindComponent<SearchBox>().Instance.OnChanged.InvokeAsync(text));

    private static Task SortByAsync(IRenderedComponent<CertificationRosterPage> cut, string column) =>
        cut.InvokeAsync(() => cut.FindAll(".sortable-column-header").Single(h => h.TextContent.Trim() == column).Click());

    [Fact]
    public async Task EachLearnerOfTheManagerShowsStatusCoursesGradePerCourseAndDateUnderAChartOfTheirStatuses()
    {
        await PlayedAsync();

        var cut = Render();

        Assert.Equal(["Ann Archer", "Ben Baker", "Cleo Cooper"], Names(cut));
        Assert.Equal(("Completed", "InProgress", "NotStarted"), (StatusOf(cut, Ann), StatusOf(cut, Ben), StatusOf(cut, Cleo)));
        Assert.Equal("0 / 2", cut.Find($"[data-test='roster-courses'][data-learner-id='{Ben.Id}']").TextContent);
        Assert.Equal(("85 %", "75 %", "65 %", "–"), (GradeOf(cut, Ann, Safety), GradeOf(cut, Ann, FirstAid), GradeOf(cut, Ben, Safety), GradeOf(cut, Ben, FirstAid)));
        Assert.Equal("false", cut.Find($"[data-test='roster-grade'][data-learner-id='{Ben.Id}'][data-course-id='{Safety.Id}']").GetAttribute("data-satisfied"));
        Assert.Equal("Completed 2 Mar 2026", cut.Find($"[data-test='roster-date'][data-learner-id='{Ann.Id}']").TextContent);
        Assert.Equal("Due 30 Jun 2026", cut.Find($"[data-test='roster-date'][data-learner-id='{Cleo.Id}']").TextContent);
        Assert.Equal($"/manage/learners/{Ann.Id}", cut.Find($"[data-test='roster-name'][data-learner-id='{Ann.Id}']").GetAttribute("href"));
        Assert.Equal([("NotStarted", "1"), ("InProgress", "1"), ("Completed", "1")], ChartCounts(cut));
        Assert.Contains("Your learners holding it: 3 learners", cut.Find("[data-test='status-summary'] figcaption").TextContent, StringComparison.Ordinal);
        Assert.Contains("One-time · pass mark 70 % · due 30 Jun 2026", cut.Find("[data-test='certification-facts']").TextContent.Replace('\u00A0', ' '), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RowsFilterByStatusAndByNameOrEmail()
    {
        await PlayedAsync();
        var cut = Render();

        await FilterByStatusAsync(cut, AssignmentStatus.NotStarted);
        Assert.Equal(["Cleo Cooper"], Names(cut));

        await FilterByStatusAsync(cut, null);
        await SearchAsync(cut, "BAKER");
        Assert.Equal(["Ben Baker"], Names(cut));

        await SearchAsync(cut, "cleo.cooper@");
        Assert.Equal(["Cleo Cooper"], Names(cut));

        await FilterByStatusAsync(cut, AssignmentStatus.Completed);
        Assert.Empty(Names(cut));
        Assert.Equal("No learner matches this search.", cut.Find("[data-test='no-rows']").TextContent.Trim());
    }

    [Fact]
    public async Task EveryColumnSortsBothWays()
    {
        await PlayedAsync();
        var cut = Render();

        await SortByAsync(cut, "Safety 101");
        Assert.Equal(["Cleo Cooper", "Ben Baker", "Ann Archer"], Names(cut));
        await SortByAsync(cut, "Safety 101");
        Assert.Equal(["Ann Archer", "Ben Baker", "Cleo Cooper"], Names(cut));

        await SortByAsync(cut, "Status");
        Assert.Equal(["Cleo Cooper", "Ben Baker", "Ann Archer"], Names(cut));

        await SortByAsync(cut, "Learner");
        await SortByAsync(cut, "Learner");
        Assert.Equal(["Cleo Cooper", "Ben Baker", "Ann Archer"], Names(cut));

        await SortByAsync(cut, "Courses");
        await SortByAsync(cut, "Courses");
        Assert.Equal("Ann Archer", Names(cut)[0]);

        await SortByAsync(cut, "Due / expires");
        Assert.Equal("Ann Archer", Names(cut)[0]);
    }

    [Fact]
    public async Task NewResultsOfAShownLearnerUpdateTheirRowAndTheChartWithoutAReload()
    {
        await PlayedAsync();
        var cut = Render();

        await PlayQuietlyAsync(Cleo, Safety, Now.AddMinutes(-5), 100, 40);
        await Events.PublishAsync(new ResultsRecorded([Cleo.Id, Otto.Id]));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("InProgress", StatusOf(cut, Cleo));
            Assert.Equal("70 %", GradeOf(cut, Cleo, Safety));
            Assert.Equal([("InProgress", "2"), ("Completed", "1")], ChartCounts(cut));
        });
        Assert.Equal(["Ann Archer", "Ben Baker", "Cleo Cooper"], Names(cut));
    }

    [Fact]
    public async Task AnAssignmentChangeBringsInANewLearnerAndTakesOutOneWhoNoLongerHoldsIt()
    {
        Learner dan;
        await using (var db = Database.CreateContext())
        {
            dan = await TestCatalog.AddLearnerAsync(db, "Dan Dyer");
            dan.ManagerId = Mia.Id;
            await db.SaveChangesAsync();
        }

        var cut = Render();
        await AssignQuietlyAsync(CertificationId, dan);
        await using (var db = Database.CreateContext())
        {
            await db.Assignments.Where(a => a.LearnerId == Ben.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, Now));
        }

        await Events.PublishAsync(new AssignmentsChanged(CertificationId, [dan.Id, Ben.Id, Otto.Id]));

        cut.WaitForAssertion(() => Assert.Equal(["Ann Archer", "Cleo Cooper", "Dan Dyer"], Names(cut)));
        Assert.Equal([("NotStarted", "3")], ChartCounts(cut));
    }

    [Fact]
    public async Task EventsAboutOtherCertificationsOrLearnersNotShownLeaveThePageAlone()
    {
        var cut = Render();
        await PlayQuietlyAsync(Ann, Safety, Now.AddMinutes(-5), 90, 90);
        var other = await AnotherCertificationAsync("Forklift");

        await Events.PublishAsync(new AssignmentsChanged(other, [Ann.Id]));
        await Events.PublishAsync(new ResultsRecorded([Otto.Id]));
        await Events.PublishAsync(new CertificationChanged(other));

        // Any reload these had asked for would have rendered by the time the page's reloads are idle.
        await cut.Instance.Live.Idle;
        Assert.Equal("NotStarted", StatusOf(cut, Ann));

        await Events.PublishAsync(new CertificationChanged(CertificationId));
        cut.WaitForAssertion(() => Assert.Equal("InProgress", StatusOf(cut, Ann)));
    }

    [Fact]
    public async Task TheExportHoldsTheRowsThePageShowsInItsOrderAsQuotedCsvWithIsoDates()
    {
        await PlayedAsync();
        Learner dan;
        await using (var db = Database.CreateContext())
        {
            dan = await TestCatalog.AddLearnerAsync(db, "Dan \"The Man\", Dyer");
            dan.ManagerId = Mia.Id;
            await db.SaveChangesAsync();
            await ProgressData.AssignAsync(db, CertificationId, dan.Id, Now.AddHours(-2));
        }

        await PlayQuietlyAsync(dan, Safety, Now.AddMinutes(-20), 50, 50);
        var module = Context.JSInterop.SetupModule("./Components/Pages/Manage/RosterExport.razor.js");
        module.SetupVoid("saveFile", _ => true).SetVoidResult();
        var cut = Render();

        await FilterByStatusAsync(cut, AssignmentStatus.InProgress);
        await SortByAsync(cut, "Safety 101");
        await cut.InvokeAsync(() => cut.Find("[data-test='export-csv']").Click());

        var call = module.VerifyInvoke("saveFile");
        Assert.Equal("Workplace Safety - learners 2026-03-02.csv", call.Arguments[0]);
        var bytes = ((MemoryStream)((DotNetStreamReference)call.Arguments[1]!).Stream).ToArray();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal(
            "Learner,Email,Status,Courses satisfied,Courses required,Safety 101 grade,Safety 101 satisfied,First Aid grade,First Aid satisfied,Date,Date kind\r\n"
            + "\"Dan \"\"The Man\"\", Dyer\",\"dan.\"\"the.man\"\",.dyer@example.com\",In progress,0,2,50,no,,no,2026-06-30,Due\r\n"
            + "Ben Baker,ben.baker@example.com,In progress,0,2,65,no,,no,2026-06-30,Due\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task AnAdminWhoManagesNobodySeesEveryLearnerLinkedToTheirProfileCard()
    {
        SignInAs("admin@example.com", learnerId: null, PortalRoles.Admin, PortalRoles.Learner);

        var cut = Render();

        Assert.Equal(["Ann Archer", "Ben Baker", "Cleo Cooper", "Otto Outside"], Names(cut));
        Assert.Equal($"/admin/learners/{Otto.Id}", cut.Find($"[data-test='roster-name'][data-learner-id='{Otto.Id}']").GetAttribute("href"));
        Assert.Contains("Certifications", cut.Find("nav[aria-label='Breadcrumb']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALearnerGetsAccessDeniedAndAnUnknownCertificationNotFound()
    {
        var unknown = Context.Render<CertificationRosterPage>(p => p.Add(c => c.Id, 9999));
        unknown.WaitForAssertion(() => Assert.Contains("Page not found", unknown.Markup, StringComparison.Ordinal));

        SignInAs(Ann.Email, Ann.Id, PortalRoles.Learner);
        var refused = Context.Render<CertificationRosterPage>(p => p.Add(c => c.Id, CertificationId));
        refused.WaitForAssertion(() => Assert.Contains("Access denied", refused.Markup, StringComparison.Ordinal));
        Assert.Empty(refused.FindAll("[data-test='roster-name']"));
        await using var db = Database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "AccessDenied" && e.Actor == Ann.Email));
    }

    [Fact]
    public async Task LeavingThePageStopsListening()
    {
        Render();
        Assert.Equal(1, Events.SubscriberCount);

        await Context.DisposeComponentsAsync();

        Assert.Equal(0, Events.SubscriberCount);
    }
}
