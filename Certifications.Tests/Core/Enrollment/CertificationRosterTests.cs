using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Core.Progress;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Enrollment;

/// <summary>Who holds a certification, as a manager and as an admin see them: status, progress, grades per course, dates.</summary>
public sealed class CertificationRosterTests : IAsyncLifetime
{
    private TeamTestBed bed = null!;

    public async Task InitializeAsync() => bed = await TeamTestBed.CreateAsync();

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private static IReadOnlyList<string> Names(IEnumerable<RosterRow> rows) => [.. rows.Select(r => r.Name)];

    [Fact]
    public async Task AManagerSeesTheirDirectAndIndirectReportsWithStatusProgressGradesPerCourseAndDates()
    {
        var id = await bed.CertificationAsync("Workplace Safety", c => c.DueDate = new DateOnly(2026, 6, 30));
        await bed.AssignAsync(id, bed.Ann, bed.Ben, bed.Otto, bed.Mia);
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddMinutes(10), 80, 90);
        await bed.PlayAsync(bed.Ann, bed.FirstAid, bed.Now.AddMinutes(20), 75);
        await bed.PlayAsync(bed.Ben, bed.Safety, bed.Now.AddMinutes(30), 60, 70);
        await bed.PlayAsync(bed.Otto, bed.Safety, bed.Now.AddMinutes(30), 100, 100);
        bed.Time.Advance(TimeSpan.FromHours(1));

        var roster = (await bed.Roster().GetAsync(bed.Manager, id))!;

        Assert.Equal(("Workplace Safety", new DateOnly(2026, 6, 30), 70m), (roster.Certification.Name, roster.Certification.DueDate, roster.Certification.MinimumPassingGrade));
        Assert.Equal(["Safety 101", "First Aid"], roster.Certification.Courses.Select(c => c.Title));
        Assert.Equal(["Ann Direct", "Ben Indirect"], Names(roster.Rows));
        var (ann, ben) = (roster.Rows[0], roster.Rows[1]);
        Assert.Equal((AssignmentStatus.Completed, 2, 2), (ann.Status, ann.CoursesSatisfied, ann.CoursesRequired));
        Assert.Equal([(85m, true), (75m, true)], ann.Grades.Select(g => (g.Grade, g.IsSatisfied)));
        Assert.Equal((RosterDateKind.Completed, new DateOnly(2026, 3, 2)), (ann.DateKind!.Value, ann.Date!.Value));
        Assert.Equal((AssignmentStatus.InProgress, 0, 2), (ben.Status, ben.CoursesSatisfied, ben.CoursesRequired));
        Assert.Equal([(65m, false), ((decimal?)null, false)], ben.Grades.Select(g => (g.Grade, g.IsSatisfied)));
        Assert.Equal((RosterDateKind.Due, new DateOnly(2026, 6, 30)), (ben.DateKind!.Value, ben.Date!.Value));
    }

    [Fact]
    public async Task AnAdminSeesEveryLearnerHoldingItButNeverAWithdrawnAssignment()
    {
        var id = await bed.CertificationAsync("Workplace Safety");
        await bed.AssignAsync(id, bed.Ann, bed.Ben, bed.Otto);
        await bed.WithdrawAsync(id, bed.Ben);

        var roster = (await bed.Roster().GetAsync(TeamTestBed.Admin, id))!;

        Assert.Equal(["Ann Direct", "Otto Outside"], Names(roster.Rows));
        Assert.All(roster.Rows, r => Assert.Equal((AssignmentStatus.NotStarted, (RosterDateKind?)null), (r.Status, r.DateKind)));
    }

    [Fact]
    public async Task ARenewingCertificationShowsUntilWhenEachLearnerIsCertifiedAndSinceWhenNoLonger()
    {
        var id = await bed.CertificationAsync("Forklift", c => (c.RenewalRequired, c.RenewalPeriodMonths) = (true, 12));
        await bed.AssignAsync(id, bed.Ann, bed.Ben);
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddMinutes(10), 80, 90);
        await bed.PlayAsync(bed.Ann, bed.FirstAid, bed.Now.AddMinutes(20), 75);
        bed.Time.Advance(TimeSpan.FromHours(1));

        var rows = (await bed.Roster().GetAsync(bed.Manager, id))!.Rows;

        Assert.Equal((AssignmentStatus.Certified, RosterDateKind.Expires, new DateOnly(2027, 3, 2)), (rows[0].Status, rows[0].DateKind!.Value, rows[0].Date!.Value));
        Assert.Equal((AssignmentStatus.NotStarted, (RosterDateKind?)null, (DateOnly?)null), (rows[1].Status, rows[1].DateKind, rows[1].Date));
        Assert.Equal(12, (await bed.Roster().GetAsync(bed.Manager, id))!.Certification.RenewalPeriodMonths);

        bed.Time.Advance(TimeSpan.FromDays(366));
        var lapsed = (await bed.Roster().GetAsync(bed.Manager, id))!.Rows[0];
        Assert.Equal((AssignmentStatus.RenewalDue, RosterDateKind.Expired, new DateOnly(2027, 3, 2)), (lapsed.Status, lapsed.DateKind!.Value, lapsed.Date!.Value));
    }

    [Fact]
    public async Task TheRowsAgreeWithTheLearnersOwnPanel()
    {
        var id = await bed.CertificationAsync("Workplace Safety");
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddDays(-3), 100, 100);
        await bed.AssignAsync(id, bed.Ann);
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddMinutes(10), 60, 90);
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddMinutes(20), 65, 50);
        await bed.PlayAsync(bed.Ann, bed.FirstAid, bed.Now.AddMinutes(30), 69.999m);
        bed.Time.Advance(TimeSpan.FromHours(1));

        var row = Assert.Single((await bed.Roster().GetAsync(bed.Manager, id))!.Rows);
        var card = Assert.Single((await bed.Panels().GetPanelAsync(TeamTestBed.LearnerActor(bed.Ann), bed.Ann.Id))!.Certifications);

        Assert.Equal((card.Status, card.CoursesSatisfied, card.CoursesRequired), (row.Status, row.CoursesSatisfied, row.CoursesRequired));
        Assert.Equal(card.Courses.Select(c => (c.CourseId, c.Grade, c.IsSatisfied)), row.Grades.Select(g => (g.CourseId, g.Grade, g.IsSatisfied)));
        Assert.Equal([77.5m, 69.999m], row.Grades.Select(g => g.Grade!.Value));
    }

    [Fact]
    public async Task ReloadingGivenLearnersReturnsOnlyThoseTheActorMaySeeAndWhoStillHoldIt()
    {
        var id = await bed.CertificationAsync("Workplace Safety");
        await bed.AssignAsync(id, bed.Ann, bed.Ben, bed.Otto);
        await bed.PlayAsync(bed.Ben, bed.Safety, bed.Now.AddMinutes(10), 80, 80);
        await bed.WithdrawAsync(id, bed.Ann);
        bed.Time.Advance(TimeSpan.FromHours(1));
        var roster = bed.Roster();

        var asManager = await roster.GetRowsAsync(bed.Manager, id, [bed.Ann.Id, bed.Ben.Id, bed.Otto.Id]);
        var asAdmin = await roster.GetRowsAsync(TeamTestBed.Admin, id, [bed.Ben.Id, bed.Otto.Id]);

        var ben = Assert.Single(asManager);
        Assert.Equal((bed.Ben.Id, AssignmentStatus.InProgress, 80m), (ben.LearnerId, ben.Status, ben.Grades[0].Grade!.Value));
        Assert.Equal(["Ben Indirect", "Otto Outside"], Names(asAdmin));
        Assert.Empty(await roster.GetRowsAsync(bed.Manager, id, []));
    }

    [Fact]
    public async Task ReloadingALearnerCaughtInAManagementLoopEndsAndLeavesThemOut()
    {
        var id = await bed.CertificationAsync("Workplace Safety");
        Learner zed;
        await using (var db = bed.Database.CreateContext())
        {
            zed = await TeamTestBed.AddReportAsync(db, "Zed Loop", bed.Otto);
            await db.Learners.Where(l => l.Id == bed.Otto.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.ManagerId, zed.Id));
        }

        await bed.AssignAsync(id, bed.Ben, zed, bed.Otto);

        var rows = await bed.Roster().GetRowsAsync(bed.Manager, id, [zed.Id, bed.Otto.Id, bed.Ben.Id, bed.Mia.Id]);

        Assert.Equal(["Ben Indirect"], Names(rows));
    }

    [Fact]
    public async Task ALearnerIsRefusedAndTheAttemptIsAudited()
    {
        var id = await bed.CertificationAsync("Workplace Safety");
        var learner = TeamTestBed.LearnerActor(bed.Ann);

        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Roster().GetAsync(learner, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Roster().GetRowsAsync(learner, id, [bed.Ann.Id]));

        await using var db = bed.Database.CreateContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "AccessDenied" && e.Actor == bed.Ann.Email));
    }

    [Fact]
    public async Task AnUnknownOrDeletedCertificationIsNotFound()
    {
        var deleted = await bed.CertificationAsync("Gone", c => c.State = CertificationState.Deleted);

        Assert.Null(await bed.Roster().GetAsync(bed.Manager, 9999));
        Assert.Null(await bed.Roster().GetAsync(TeamTestBed.Admin, deleted));
    }

    [Fact]
    public async Task TheRosterTakesTheSameFewQueriesWhateverTheNumberOfLearners()
    {
        var id = await bed.CertificationAsync("Workplace Safety");
        await bed.AssignAsync(id, bed.Ann, bed.Ben);
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddMinutes(10), 80, 90);
        await bed.PlayAsync(bed.Ann, bed.FirstAid, bed.Now.AddMinutes(10), 80);

        // Completions on record too, so that the kept periods and their grades are read each time.
        async Task<(int Manager, int Admin, int Reload)> QueriesAsync()
        {
            bed.Time.Advance(TimeSpan.FromHours(1));
            await bed.RecomputeAsync();
            var roster = bed.Roster();
            bed.Commands.Clear();
            var rows = (await roster.GetAsync(bed.Manager, id))!.Rows;
            var manager = bed.Commands.Count;
            bed.Commands.Clear();
            await roster.GetAsync(TeamTestBed.Admin, id);
            var admin = bed.Commands.Count;
            bed.Commands.Clear();
            await roster.GetRowsAsync(bed.Manager, id, [.. rows.Select(r => r.LearnerId)]);
            return (manager, admin, bed.Commands.Count);
        }

        var few = await QueriesAsync();
        await using (var db = bed.Database.CreateContext())
        {
            // 150 more reports, all at the depth Ben is, so the reporting line has as many levels as before.
            var more = new List<Learner>();
            for (var i = 0; i < 150; i++)
            {
                more.Add(await TeamTestBed.AddReportAsync(db, $"Learner {i:000}", bed.Ann));
            }

            foreach (var learner in more)
            {
                await ProgressData.AssignAsync(db, id, learner.Id, bed.Now.AddHours(-1));
            }

            foreach (var learner in more.Where((_, i) => i % 2 == 0))
            {
                await bed.PlayAsync(learner, bed.Safety, bed.Now.AddMinutes(10), 90, 95);
                await bed.PlayAsync(learner, bed.FirstAid, bed.Now.AddMinutes(10), 90);
            }
        }

        var many = await QueriesAsync();

        Assert.Equal(152, (await bed.Roster().GetAsync(bed.Manager, id))!.Rows.Count);
        Assert.Equal(few, many);

        // The certification, its terms (two), the assignments with their kept periods and grades (three), the results, the
        // completion records; and for a manager the reporting line, one query per level and one that finds no deeper level.
        Assert.Equal(8, many.Admin);
        Assert.Equal(8 + 3, many.Manager);
    }
}
