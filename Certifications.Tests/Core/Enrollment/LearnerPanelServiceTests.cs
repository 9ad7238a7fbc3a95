using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Enrollment;

/// <summary>What a learner's profile panel holds, as the learner and as an admin see it.</summary>
public sealed class LearnerPanelServiceTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EventHub events = new();
    private readonly CommandLog commands = new();
    private TestDatabase database = null!;
    private AccessGuard guard = null!;
    private CertificationService certifications = null!;
    private Course safety = null!;
    private Course handling = null!;
    private Course firstAid = null!;
    private Learner bob = null!;
    private Actor bobActor = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands);
        guard = new AccessGuard(database.Factory, time);
        certifications = TestServices.Certifications(database.Factory, time, events, guard);
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2);
        handling = await TestCatalog.AddCourseAsync(database, "Manual Handling", gradedSteps: 1);
        firstAid = await TestCatalog.AddCourseAsync(database, "First Aid", gradedSteps: 1, ungradedSteps: 1);
        await using var db = database.CreateContext();
        bob = await TestCatalog.AddLearnerAsync(db, "Bob Safety");
        bobActor = new Actor(bob.Email, bob.Id, new HashSet<string> { PortalRoles.Learner });
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private LearnerPanelService Panels(OrganisationCalendar? calendar = null) =>
        new(database.Factory, guard, time, calendar ?? OrganisationCalendar.Utc);

    private async Task<int> PublishedAsync(string name, Action<CertificationDraft>? shape = null, bool publish = true)
    {
        var draft = new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 3, 1), MinimumPassingGrade = 70, CourseIds = [safety.Id] };
        shape?.Invoke(draft);
        var created = await certifications.CreateAsync(draft, Admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        if (publish)
        {
            Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Admin)).Succeeded);
        }

        return created.Id!.Value;
    }

    private async Task AssignAsync(int certificationId, DateTime? withdrawnAt = null, int graceDays = 0)
    {
        await using var db = database.CreateContext();
        db.Assignments.Add(new Assignment
        {
            CertificationId = certificationId,
            LearnerId = bob.Id,
            AssignedAt = Now,
            GraceDays = graceDays,
            StatusChangedAt = Now,
            WithdrawnAt = withdrawnAt,
            Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = Now }],
        });
        await db.SaveChangesAsync();
    }

    private async Task PlayAsync(Course course, DateTime at, params decimal[] scores)
    {
        await using var db = database.CreateContext();
        foreach (var (step, score) in course.Steps.Where(s => s.IsGraded).Zip(scores))
        {
            db.StepResults.Add(new StepResult
            {
                LearnerId = bob.Id,
                StepId = step.Id,
                Score = score,
                CompletedAt = at,
                ReceivedAt = at,
                ExternalId = $"r-{Guid.NewGuid():N}",
            });
        }

        await db.SaveChangesAsync();
    }

    private async Task<CertificationOutcome> ChangeStateAsync(int id, CertificationState target)
    {
        var version = (await certifications.GetForEditAsync(Admin, id))!.Draft.Version!.Value;
        return target == CertificationState.Retired
            ? await certifications.RetireAsync(id, version, Admin)
            : await certifications.DeleteAsync(id, version, Admin);
    }

    [Fact]
    public async Task AnInvisibleCertificationIsNeverShownToTheLearnerButIsShownMarkedToAnAdmin()
    {
        var visible = await PublishedAsync("Workplace Safety");
        var invisible = await PublishedAsync("Manager Essentials", d => d.IsInvisible = true);
        var retiredInvisible = await PublishedAsync("Quiet Pilot", d => d.IsInvisible = true);
        foreach (var id in new[] { visible, invisible, retiredInvisible })
        {
            await AssignAsync(id);
        }

        await PlayAsync(safety, Now.AddHours(1), 90, 90);
        time.Advance(TimeSpan.FromHours(2));
        await new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events).RecomputeAllAsync();
        Assert.True((await ChangeStateAsync(retiredInvisible, CertificationState.Retired)).Succeeded);

        var own = (await Panels().GetPanelAsync(bobActor, bob.Id))!;
        var asAdmin = (await Panels().GetPanelAsync(Admin, bob.Id))!;

        Assert.Equal(["Workplace Safety"], own.Certifications.Select(c => c.Name));
        Assert.Empty(own.NoLongerOffered);
        Assert.Equal(["Manager Essentials", "Workplace Safety"], asAdmin.Certifications.Select(c => c.Name));
        Assert.Equal([true, false], asAdmin.Certifications.Select(c => c.IsInvisible));
        Assert.True(Assert.Single(asAdmin.NoLongerOffered).IsInvisible);
        Assert.True(own.IsOwnPanel);
        Assert.False(asAdmin.IsOwnPanel);
    }

    [Fact]
    public async Task EachCourseShowsTheBestGradeInTheCountingWindowAgainstTheMinimum()
    {
        var id = await PublishedAsync("Workplace Safety", d => d.CourseIds = [safety.Id, handling.Id, firstAid.Id]);
        await PlayAsync(safety, Now.AddDays(-1), 100, 100);
        await AssignAsync(id);
        await PlayAsync(safety, Now.AddHours(1), 60, 80);
        await PlayAsync(safety, Now.AddHours(2), 90, 70);
        await PlayAsync(handling, Now.AddHours(3), 69.999m);
        time.Advance(TimeSpan.FromHours(4));

        var item = Assert.Single((await Panels().GetPanelAsync(bobActor, bob.Id))!.Certifications);

        Assert.Equal(AssignmentStatus.InProgress, item.Status);
        Assert.Equal((1, 3, 70m), (item.CoursesSatisfied, item.CoursesRequired, item.MinimumPassingGrade));
        Assert.Equal(["Safety 101", "Manual Handling", "First Aid"], item.Courses.Select(c => c.Title));
        Assert.Equal(new decimal?[] { 85m, 69.999m, null }, item.Courses.Select(c => c.Grade));
        Assert.Equal([true, false, false], item.Courses.Select(c => c.IsSatisfied));
        Assert.All(item.Courses, c => Assert.Equal(70m, c.MinimumPassingGrade));
        Assert.Equal((0, 1), (item.Courses[2].GradedStepsWithResult, item.Courses[2].GradedSteps));
        Assert.Contains("below the minimum", item.Courses[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachCourseExplainsEveryResultLatestFirstThoseBeforeTheCountingWindowToo()
    {
        var id = await PublishedAsync("Workplace Safety");
        await PlayAsync(safety, Now.AddDays(-5), 100, 100);
        await AssignAsync(id);
        await PlayAsync(safety, Now.AddHours(1), 60, 70);
        await PlayAsync(safety, Now.AddHours(2), 50, 75);
        time.Advance(TimeSpan.FromHours(3));

        var course = Assert.Single(Assert.Single((await Panels().GetPanelAsync(bobActor, bob.Id))!.Certifications).Courses);

        Assert.Equal((CourseVerdict.BelowMinimum, 67.5m), (course.Verdict, course.Grade!.Value));
        Assert.Equal("Grade 67.5 % is below the minimum of 70 %", course.Reason);
        Assert.Equal(
            [
                ("Safety 101 step 2", 75m, ResultVerdict.Counted),
                ("Safety 101 step 1", 50m, ResultVerdict.Superseded),
                ("Safety 101 step 2", 70m, ResultVerdict.Superseded),
                ("Safety 101 step 1", 60m, ResultVerdict.Counted),
                ("Safety 101 step 2", 100m, ResultVerdict.BeforeWindow),
                ("Safety 101 step 1", 100m, ResultVerdict.BeforeWindow),
            ],
            course.Results.Select(r => (r.StepTitle, r.Score, r.Verdict)));
        Assert.Equal(new DateTime(2026, 2, 25, 9, 0, 0), course.Results[^1].CompletedAt);
        Assert.Equal("Before the counting window that starts 2 Mar 2026 09:00", course.Results[^1].Reason);
        Assert.StartsWith("Superseded by 60 % on 2 Mar 2026 10:00", course.Results[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AOneTimeCertificationShowsItsDueDateAndAScheduledOneWhenItStartsAndFromWhenResultsCount()
    {
        var due = await PublishedAsync("Anti-Bribery", d => d.DueDate = new DateOnly(2026, 6, 30));
        var scheduled = await PublishedAsync("Forklift Licence", d => (d.EffectiveFrom, d.GraceDays) = (new DateOnly(2026, 4, 1), 10));
        await AssignAsync(due);
        await AssignAsync(scheduled, graceDays: 10);

        var panel = (await Panels().GetPanelAsync(bobActor, bob.Id))!;

        var oneTime = panel.Certifications.Single(c => c.CertificationId == due);
        Assert.Equal((AssignmentStatus.NotStarted, new DateOnly(2026, 6, 30), (int?)null, (DateOnly?)null), (oneTime.Status, oneTime.DueDate, oneTime.RenewalPeriodMonths, oneTime.ExpiresOn));
        var coming = panel.Certifications.Single(c => c.CertificationId == scheduled);
        Assert.Equal((AssignmentStatus.Scheduled, new DateOnly(2026, 4, 1), new DateOnly(2026, 3, 22)), (coming.Status, coming.EffectiveFrom, coming.CountsFrom));

        time.Advance(TimeSpan.FromDays(122));
        var late = (await Panels().GetPanelAsync(bobActor, bob.Id))!.Certifications.Single(c => c.CertificationId == due);
        Assert.Equal(AssignmentStatus.Overdue, late.Status);
    }

    [Fact]
    public async Task ARenewingCertificationShowsItsExpiryAndTheDayTheRenewalWindowOpensInTheOrganisationsZone()
    {
        var id = await PublishedAsync("Workplace Safety", d => (d.RenewalRequired, d.RenewalPeriodMonths, d.RenewalWindowDays) = (true, 12, 30));
        await AssignAsync(id);

        // 23:30 UTC on 2 March is already 3 March in Paris.
        await PlayAsync(safety, TestCalendars.Utc(2026, 3, 2, 23, 30), 90, 90);
        time.Advance(TimeSpan.FromDays(1));

        var item = Assert.Single((await Panels(TestCalendars.Paris).GetPanelAsync(bobActor, bob.Id))!.Certifications);

        Assert.Equal(AssignmentStatus.Certified, item.Status);
        Assert.Equal(12, item.RenewalPeriodMonths);
        Assert.Null(item.DueDate);
        Assert.Equal(new DateOnly(2026, 3, 3), item.CompletedOn);
        Assert.Equal(new DateOnly(2027, 3, 3), item.ExpiresOn);
        Assert.Equal(new DateOnly(2027, 2, 1), item.RenewalWindowOpensOn);
    }

    [Fact]
    public async Task HistoryListsEveryCompletedPeriodLatestFirstWithItsDatesAndGrades()
    {
        var id = await PublishedAsync("Security Awareness", d => (d.RenewalRequired, d.RenewalPeriodMonths, d.RenewalWindowDays) = (true, 1, 15));
        await AssignAsync(id);
        await PlayAsync(safety, TestCalendars.Utc(2026, 3, 2, 10), 80, 90);
        await PlayAsync(safety, TestCalendars.Utc(2026, 3, 20, 10), 95, 95);
        time.Advance(TimeSpan.FromDays(34));

        var item = Assert.Single((await Panels().GetPanelAsync(bobActor, bob.Id))!.Certifications);

        Assert.Equal([2, 1], item.History.Select(p => p.Number));
        Assert.Equal([new DateOnly(2026, 3, 20), new DateOnly(2026, 3, 2)], item.History.Select(p => p.CompletedOn));
        Assert.Equal(new DateOnly?[] { new(2026, 5, 2), new(2026, 4, 2) }, item.History.Select(p => p.ExpiresOn));
        Assert.Equal([false, true], item.History.Select(p => p.HasExpired));
        Assert.Equal(("Safety 101", 85m), (item.History[1].Grades.Single().CourseTitle, item.History[1].Grades.Single().Grade));
        Assert.Equal(95m, item.History[0].Grades.Single().Grade);
        Assert.Equal((AssignmentStatus.Certified, new DateOnly(2026, 5, 2)), (item.Status, item.ExpiresOn));
    }

    [Fact]
    public async Task CompletionsOfRetiredAndDeletedCertificationsStayWithTheirNameAndDatesAndUnfinishedOnesGo()
    {
        var retired = await PublishedAsync("Legacy Fire Warden");
        var deleted = await PublishedAsync("Old Induction", d => (d.RenewalRequired, d.RenewalPeriodMonths) = (true, 12));
        var unfinished = await PublishedAsync("Abandoned Pilot", d => d.CourseIds = [handling.Id]);
        foreach (var id in new[] { retired, deleted, unfinished })
        {
            await AssignAsync(id);
        }

        await PlayAsync(safety, Now.AddHours(1), 90, 90);
        time.Advance(TimeSpan.FromDays(3));
        await new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events).RecomputeAllAsync();
        Assert.True((await ChangeStateAsync(retired, CertificationState.Retired)).Succeeded);
        Assert.True((await ChangeStateAsync(unfinished, CertificationState.Retired)).Succeeded);
        Assert.True((await ChangeStateAsync(deleted, CertificationState.Deleted)).Succeeded);

        // The deleted certification's name is free again; the kept completion still carries the one it had.
        await PublishedAsync("Old Induction", d => d.CourseIds = [handling.Id]);

        var panel = (await Panels().GetPanelAsync(bobActor, bob.Id))!;

        Assert.Empty(panel.Certifications);
        Assert.Equal(["Legacy Fire Warden", "Old Induction"], panel.NoLongerOffered.Select(c => c.Name));
        Assert.Equal([CertificationState.Retired, CertificationState.Deleted], panel.NoLongerOffered.Select(c => c.State));
        Assert.All(panel.NoLongerOffered, c => Assert.Equal(new DateOnly(2026, 3, 5), c.NoLongerOfferedSince));
        var fireWarden = Assert.Single(panel.NoLongerOffered[0].Periods);
        Assert.Equal((new DateOnly(2026, 3, 2), (DateOnly?)null), (fireWarden.CompletedOn, fireWarden.ExpiresOn));
        var induction = Assert.Single(panel.NoLongerOffered[1].Periods);
        Assert.Equal((new DateOnly(2026, 3, 2), (DateOnly?)new DateOnly(2027, 3, 2), false), (induction.CompletedOn, induction.ExpiresOn, induction.HasExpired));
        Assert.Equal(["Old Induction"], panel.Available.Select(a => a.Name));
    }

    [Fact]
    public async Task AvailableListsOnlyPublishedVisibleCertificationsWithoutTargetGroupsThatTheLearnerDoesNotHold()
    {
        var group = await TestCatalog.AddGroupAsync(database, "Warehouse", safety);
        await PublishedAsync("Open To All", d => d.Description = "The basics.");
        await PublishedAsync("Coming Soon", d => d.EffectiveFrom = new DateOnly(2026, 4, 1));
        await PublishedAsync("Still A Draft", publish: false);
        await PublishedAsync("Invisible Open", d => d.IsInvisible = true);
        await PublishedAsync("Warehouse Only", d => d.GroupIds = [group.Id]);
        var retired = await PublishedAsync("Retired Open");
        Assert.True((await ChangeStateAsync(retired, CertificationState.Retired)).Succeeded);
        await AssignAsync(await PublishedAsync("Already Held"));
        await AssignAsync(await PublishedAsync("Left Unfinished"), withdrawnAt: Now.AddMinutes(-1));
        var completedThenLeft = await PublishedAsync("Completed Then Left");
        await AssignAsync(completedThenLeft);
        await PlayAsync(safety, Now.AddHours(1), 90, 90);
        time.Advance(TimeSpan.FromHours(2));
        await new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events).RecomputeAllAsync();
        await using (var db = database.CreateContext())
        {
            await db.Assignments.Where(a => a.CertificationId == completedThenLeft).ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, Now));
        }

        var own = (await Panels().GetPanelAsync(bobActor, bob.Id))!;
        var asAdmin = (await Panels().GetPanelAsync(Admin, bob.Id))!;

        Assert.Equal(["Coming Soon", "Left Unfinished", "Open To All"], own.Available.Select(a => a.Name));
        Assert.Equal(own.Available.Select(a => a.CertificationId), asAdmin.Available.Select(a => a.CertificationId));
        var open = own.Available.Single(a => a.Name == "Open To All");
        Assert.Equal(("The basics.", (DateOnly?)null, 70m, (int?)null), (open.Description, open.StartsOn, open.MinimumPassingGrade, open.RenewalPeriodMonths));
        Assert.Equal(["Safety 101"], open.CourseTitles);
        Assert.Equal(new DateOnly(2026, 4, 1), own.Available.Single(a => a.Name == "Coming Soon").StartsOn);
    }

    [Fact]
    public async Task ThePanelTakesTheSameFewQueriesWhateverTheNumberOfCertifications()
    {
        async Task<int> QueriesForPanelAsync()
        {
            commands.Clear();
            await Panels().GetPanelAsync(bobActor, bob.Id);
            return commands.Count;
        }

        await AssignAsync(await PublishedAsync("Workplace Safety"));
        await PlayAsync(safety, Now.AddHours(1), 90, 90);
        var withOne = await QueriesForPanelAsync();
        for (var i = 0; i < 6; i++)
        {
            await AssignAsync(await PublishedAsync($"Certification {i}", d => d.CourseIds = [safety.Id, handling.Id]));
            await PublishedAsync($"Open {i}", d => d.CourseIds = [firstAid.Id]);
        }

        var withMany = await QueriesForPanelAsync();

        Assert.Equal(withOne, withMany);
        Assert.InRange(withMany, 1, 10);
    }
}
