using System.Text.Json;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Demo;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Demo;

/// <summary>The demo company seeded once at <see cref="DemoDataSeederTests.Now"/>, for the tests that only read it.</summary>
public sealed class SeededDemoCompany : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public bool Seeded { get; private set; }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Seeded = await DemoDataSeederTests.SeedAsync(Database, DemoDataSeederTests.Now);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

public sealed class DemoDataSeederTests(SeededDemoCompany company) : IClassFixture<SeededDemoCompany>
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 30, 14, 25, 0, TimeSpan.Zero);

    [Fact]
    public async Task SeedsACompanyOfTheAskedSize()
    {
        Assert.True(company.Seeded);

        await using var db = company.Database.CreateContext();
        Assert.InRange(await db.Courses.CountAsync(), 38, 45);
        Assert.Equal(12, await db.Groups.CountAsync());
        Assert.Equal(300, await db.Learners.CountAsync());
        Assert.Equal(8, await db.Certifications.CountAsync());
        Assert.InRange(await db.StepResults.CountAsync(), 5_000, 40_000);
        Assert.Empty(await db.Periods.ToListAsync());

        var courses = await db.Courses.AsNoTracking().Include(c => c.Steps).ToListAsync();
        Assert.All(courses, c => Assert.InRange(c.Steps.Count, 2, 6));
        Assert.All(courses, c => Assert.Equal(Enumerable.Range(1, c.Steps.Count), c.Steps.Select(s => s.Position).Order()));
        Assert.Contains(courses, c => !c.IsPublished);
        Assert.Contains(courses, c => c.IsTrigger);
        Assert.Contains(courses, c => c.IsPublished && !c.IsTrigger && c.Steps.TrueForAll(s => !s.IsGraded));
        Assert.Contains(courses, c => c.Steps.Exists(s => s.IsGraded) && c.Steps.Exists(s => !s.IsGraded));

        var learners = await db.Learners.AsNoTracking().ToListAsync();
        Assert.All(learners, l => Assert.Equal(l.Email.ToUpperInvariant(), l.NormalizedEmail));
        Assert.All(learners, l => Assert.EndsWith("@example.com", l.Email, StringComparison.Ordinal));
        var bob = Assert.Single(learners, l => l.Name == "Bob Safety");
        Assert.Equal("bob@example.com", bob.Email);
        var reports = learners.Where(l => l.ManagerId is not null).ToLookup(l => l.ManagerId!.Value);
        var lineManagers = learners.Where(l => reports[l.Id].Any() && reports[l.Id].All(r => !reports[r.Id].Any())).ToList();
        Assert.Equal(25, lineManagers.Count);
        Assert.All(lineManagers, manager => Assert.InRange(reports[manager.Id].Count(), 10, 15));
        Assert.InRange(learners.Count(l => reports[l.Id].Any()) - lineManagers.Count, 2, 6);

        var groupsPerLearner = await db.GroupMembers.GroupBy(m => m.LearnerId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(300, groupsPerLearner.Count);
        Assert.All(groupsPerLearner, count => Assert.InRange(count, 1, 3));

        var audit = Assert.Single(await db.AuditEntries.ToListAsync());
        Assert.Equal(DemoDataSeeder.Actor, audit.Actor);
        Assert.Contains("\"Learners\":300", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificationsComeInTheNamedStatesWithValidSettings()
    {
        await using var db = company.Database.CreateContext();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var all = await db.Certifications.AsNoTracking().Include(c => c.Courses).Include(c => c.TargetGroups).ToDictionaryAsync(c => c.Name);
        Assert.Equal(
            ["Anti-Bribery Compliance 2026", "Financial Advisor – Beginner", "Forklift Operation Licence", "Information Security Awareness", "Legacy Fire Warden", "Manager Essentials", "Sales 101", "Workplace Safety"],
            all.Keys.Order(StringComparer.Ordinal));

        var safety = all["Workplace Safety"];
        Assert.Equal((CertificationState.Published, true, 12, 30, RenewalAnchor.PreviousExpiry, 14, 70m), (safety.State, safety.RenewalRequired, safety.RenewalPeriodMonths, safety.RenewalWindowDays, safety.RenewalAnchor, safety.GraceDays, safety.MinimumPassingGrade));
        Assert.Equal(today.AddMonths(-7), safety.EffectiveFrom);
        Assert.InRange(safety.TargetGroups.Count, 2, 3);

        var security = all["Information Security Awareness"];
        Assert.Equal((CertificationState.Published, true, 1, 7, 0, 80m), (security.State, security.RenewalRequired, security.RenewalPeriodMonths, security.RenewalWindowDays, security.GraceDays, security.MinimumPassingGrade));

        var bribery = all["Anti-Bribery Compliance 2026"];
        Assert.Equal((CertificationState.Published, false, (int?)null, today.AddDays(-21), 75m, 30), (bribery.State, bribery.RenewalRequired, bribery.RenewalPeriodMonths, bribery.DueDate, bribery.MinimumPassingGrade, bribery.GraceDays));

        Assert.True(all["Manager Essentials"].IsInvisible);
        Assert.Equal(CertificationState.Published, all["Manager Essentials"].State);
        Assert.Empty(all["Sales 101"].TargetGroups);
        Assert.Equal(CertificationState.Published, all["Sales 101"].State);
        Assert.True(all["Forklift Operation Licence"].EffectiveFrom > today);
        Assert.Equal(CertificationState.Draft, all["Financial Advisor – Beginner"].State);
        Assert.Null(all["Financial Advisor – Beginner"].PublishedAt);
        Assert.Equal(CertificationState.Retired, all["Legacy Fire Warden"].State);
        Assert.NotNull(all["Legacy Fire Warden"].RetiredAt);

        foreach (var certification in all.Values)
        {
            Assert.Equal(certification.Name.Trim().ToUpperInvariant(), certification.NormalizedName);
            Assert.Equal(certification.RenewalRequired, certification.RenewalPeriodMonths is not null);
            Assert.True(certification.DueDate is null || (!certification.RenewalRequired && certification.DueDate >= certification.EffectiveFrom));
            Assert.True(!certification.RenewalRequired || certification.RenewalWindowDays <= certification.RenewalPeriodMonths * 15);
            Assert.Contains(certification.RenewalPeriodMonths, new int?[] { null, 1, 3, 6, 12 });
            Assert.InRange(certification.GraceDays, 0, 365);
            Assert.NotEmpty(certification.Courses);
            Assert.Equal(Enumerable.Range(1, certification.Courses.Count), certification.Courses.Select(c => c.Position).Order());
            Assert.True(certification.CreatedAt <= certification.UpdatedAt && certification.UpdatedAt <= Now.UtcDateTime);
            Assert.Equal(certification.State != CertificationState.Draft, certification.PublishedAt is not null);
        }

        Assert.Empty(await db.Assignments.Where(a => a.Certification!.State == CertificationState.Draft).ToListAsync());
    }

    [Fact]
    public async Task SeedingTwiceDoesNothingTheSecondTime()
    {
        await using var database = await TestDatabase.CreateAsync();
        Assert.True(await SeedAsync(database, Now));
        var before = await SnapshotAsync(database);

        Assert.False(await SeedAsync(database, Now.AddDays(3)));

        Assert.Equal(before, await SnapshotAsync(database));
    }

    [Fact]
    public async Task SeedsNothingIntoADatabaseThatAlreadyHasALearner()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateContext())
        {
            db.Learners.Add(new Learner { Name = "Ann", Email = "ann@example.com", NormalizedEmail = "ANN@EXAMPLE.COM" });
            await db.SaveChangesAsync();
        }

        Assert.False(await SeedAsync(database, Now));

        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Learners.CountAsync());
        Assert.Equal(0, await check.Courses.CountAsync());
    }

    [Fact]
    public async Task TheSameInstantGivesTheSameData()
    {
        await using var second = await TestDatabase.CreateAsync();
        await SeedAsync(second, Now);

        Assert.Equal(await SnapshotAsync(company.Database), await SnapshotAsync(second));
    }

    [Fact]
    public async Task ADifferentInstantMovesTheDates()
    {
        await using var second = await TestDatabase.CreateAsync();
        await SeedAsync(second, Now.AddDays(40));

        await using var a = company.Database.CreateContext();
        await using var b = second.CreateContext();
        var safetyA = await a.Certifications.SingleAsync(c => c.Name == "Workplace Safety");
        var safetyB = await b.Certifications.SingleAsync(c => c.Name == "Workplace Safety");
        Assert.Equal(DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(-7), safetyA.EffectiveFrom);
        Assert.Equal(DateOnly.FromDateTime(Now.UtcDateTime.AddDays(40)).AddMonths(-7), safetyB.EffectiveFrom);
        Assert.NotEqual(await a.StepResults.MaxAsync(r => r.CompletedAt), await b.StepResults.MaxAsync(r => r.CompletedAt));
    }

    [Fact]
    public async Task ResultsAreInThePastWithUniqueExternalIdsAndPlausibleScores()
    {
        await using var db = company.Database.CreateContext();
        var results = await db.StepResults.AsNoTracking().ToListAsync();
        Assert.All(results, r => Assert.True(r.CompletedAt <= Now.UtcDateTime && r.ReceivedAt <= Now.UtcDateTime, r.ExternalId));
        Assert.All(results, r => Assert.InRange(r.ReceivedAt - r.CompletedAt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
        Assert.All(results, r => Assert.InRange(r.Score, 0m, 100m));
        Assert.Equal(results.Count, results.Select(r => r.ExternalId).Distinct().Count());
        Assert.All(results, r => Assert.StartsWith("demo-", r.ExternalId, StringComparison.Ordinal));
        Assert.True(results.Min(r => r.CompletedAt) >= Now.UtcDateTime.AddMonths(-9));
        Assert.Contains(results, r => r.Score != Math.Floor(r.Score));

        // Several attempts at a step, sometimes.
        Assert.Contains(results.GroupBy(r => (r.LearnerId, r.StepId)), attempts => attempts.Count() > 1);
    }

    [Fact]
    public async Task EveryTargetedGroupHasAllTheIncludedCoursesAndSomeGroupsDoNot()
    {
        await using var db = company.Database.CreateContext();
        var groupCourses = (await db.GroupCourses.AsNoTracking().ToListAsync()).ToLookup(gc => gc.GroupId, gc => gc.CourseId);
        var groupIds = await db.Groups.Select(g => g.Id).ToListAsync();
        var certifications = await db.Certifications.AsNoTracking().Include(c => c.Courses).Include(c => c.TargetGroups).ToListAsync();
        var ineligible = 0;
        foreach (var certification in certifications)
        {
            var included = certification.Courses.Select(c => c.CourseId).ToList();
            Assert.All(certification.TargetGroups, target => Assert.Empty(included.Except(groupCourses[target.GroupId])));
            ineligible += groupIds.Count(g => included.Except(groupCourses[g]).Count() == 1);
        }

        // A group missing exactly one course is the wizard's interesting case: shown, disabled, the course named.
        Assert.True(ineligible >= 3);
    }

    [Fact]
    public async Task EveryIncludedCourseIsPublishedNotATriggerAndGraded()
    {
        await using var db = company.Database.CreateContext();
        var included = await db.CertificationCourses.AsNoTracking().Include(cc => cc.Course).ThenInclude(c => c!.Steps).Select(cc => cc.Course!).ToListAsync();
        Assert.NotEmpty(included);
        Assert.All(included, course =>
        {
            Assert.True(course.IsPublished, course.Title);
            Assert.False(course.IsTrigger, course.Title);
            Assert.Contains(course.Steps, s => s.IsGraded);
        });
    }

    [Fact]
    public async Task EveryMemberOfATargetedGroupOfAPublishedCertificationHasExactlyOneAssignment()
    {
        await using var db = company.Database.CreateContext();
        var members = await db.GroupMembers.AsNoTracking().ToListAsync();
        var assignments = await db.Assignments.AsNoTracking().Include(a => a.Sources).ToListAsync();
        var certifications = await db.Certifications.AsNoTracking().Include(c => c.TargetGroups).Include(c => c.Courses).ToListAsync();
        foreach (var certification in certifications.Where(c => c.State == CertificationState.Published))
        {
            var targeted = certification.TargetGroups.Select(t => t.GroupId).ToHashSet();
            var expected = members.Where(m => targeted.Contains(m.GroupId)).Select(m => m.LearnerId).Distinct().Order().ToList();
            var held = assignments.Where(a => a.CertificationId == certification.Id && a.Sources.Exists(s => s.Kind == AssignmentSourceKind.Group)).Select(a => a.LearnerId).Order().ToList();
            Assert.Equal(expected, held);

            foreach (var assignment in assignments.Where(a => a.CertificationId == certification.Id))
            {
                var groupSources = assignment.Sources.Where(s => s.Kind == AssignmentSourceKind.Group).Select(s => s.GroupId!.Value).Order().ToList();
                var memberOf = members.Where(m => m.LearnerId == assignment.LearnerId && targeted.Contains(m.GroupId)).Select(m => m.GroupId).Order().ToList();
                Assert.Equal(memberOf, groupSources);
                Assert.Equal(certification.GraceDays, assignment.GraceDays);
                Assert.Equal(certification.Courses.Count, assignment.CoursesRequired);
                Assert.Equal(assignment.Sources.Min(s => s.AddedAt), assignment.AssignedAt);
                Assert.True(assignment.AssignedAt >= certification.PublishedAt);
                Assert.Null(assignment.WithdrawnAt);
            }
        }

        // One assignment per learner and certification is also the database's rule; sources are what vary.
        Assert.Contains(assignments, a => a.Sources.Count(s => s.Kind == AssignmentSourceKind.Group) == 2);
        Assert.Contains(assignments, a => a.Sources.Exists(s => s.Kind == AssignmentSourceKind.Group) && a.Sources.Exists(s => s.Kind == AssignmentSourceKind.Individual));
        var sales = certifications.Single(c => c.Name == "Sales 101").Id;
        Assert.Contains(assignments, a => a.CertificationId == sales && a.Sources.Single().Kind == AssignmentSourceKind.SelfStarted);
        Assert.Contains(assignments, a => a.CertificationId == sales && a.Sources.Single().Kind == AssignmentSourceKind.Individual);
        Assert.All(assignments, a => Assert.Equal(AssignmentStatus.NotStarted, a.Status));

        var retired = certifications.Single(c => c.State == CertificationState.Retired);
        Assert.All(assignments.Where(a => a.CertificationId == retired.Id && a.WithdrawnAt is not null), a => Assert.Equal(retired.RetiredAt, a.WithdrawnAt));
        Assert.Contains(assignments, a => a.CertificationId == retired.Id && a.WithdrawnAt is null);
        Assert.Contains(assignments, a => a.CertificationId == retired.Id && a.WithdrawnAt is not null);
    }

    public static TheoryData<string, DateTimeOffset> Instants => new()
    {
        { "UTC", Now },
        { "Europe/London", new DateTimeOffset(2027, 1, 31, 7, 5, 0, TimeSpan.Zero) },
        { "Pacific/Auckland", new DateTimeOffset(2026, 4, 5, 13, 30, 0, TimeSpan.Zero) },
        { "America/New_York", new DateTimeOffset(2026, 3, 9, 3, 30, 0, TimeSpan.Zero) },
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public async Task ReadBySpecRulesTheResultsGiveEveryStatus(string zone, DateTimeOffset now)
    {
        var calendar = new OrganisationCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone));
        await using var database = await TestDatabase.CreateAsync();
        await SeedAsync(database, now, calendar);

        var statuses = await StatusesAsync(database, calendar, now.UtcDateTime);

        // Exempt is an admin's correction of one learner's record, not something results give.
        Assert.Equal(
            Enum.GetValues<AssignmentStatus>().Where(s => s != AssignmentStatus.Exempt).Order(),
            statuses.Values.SelectMany(s => s).Distinct().Order());
        Assert.Equal([AssignmentStatus.NotStarted, AssignmentStatus.InProgress, AssignmentStatus.Certified], Distinct(statuses["Workplace Safety"]));
        Assert.Equal(
            [AssignmentStatus.NotStarted, AssignmentStatus.InProgress, AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon, AssignmentStatus.RenewalDue],
            Distinct(statuses["Information Security Awareness"]));
        Assert.Equal([AssignmentStatus.Completed, AssignmentStatus.Overdue], Distinct(statuses.Single(s => s.Key.StartsWith("Anti-Bribery", StringComparison.Ordinal)).Value));
        Assert.Subset(new HashSet<AssignmentStatus> { AssignmentStatus.NotStarted, AssignmentStatus.InProgress, AssignmentStatus.Completed }, Distinct(statuses["Manager Essentials"]).ToHashSet());
        Assert.Subset(new HashSet<AssignmentStatus> { AssignmentStatus.NotStarted, AssignmentStatus.InProgress, AssignmentStatus.Completed }, Distinct(statuses["Sales 101"]).ToHashSet());
        Assert.Equal([AssignmentStatus.Scheduled], Distinct(statuses["Forklift Operation Licence"]));
        Assert.Equal([AssignmentStatus.Completed, AssignmentStatus.Withdrawn], Distinct(statuses["Legacy Fire Warden"]));
        Assert.False(statuses.ContainsKey("Financial Advisor – Beginner"));
    }

    [Fact]
    public async Task BobsSafety101FromFiveDaysBeforeHisAssignmentCountsOnlyThanksToTheGracePeriod()
    {
        await using var db = company.Database.CreateContext();
        var bob = await db.Learners.SingleAsync(l => l.Email == "bob@example.com");
        var safety = await LoadCertificationAsync(db, "Workplace Safety");
        var assignment = await db.Assignments.AsNoTracking().SingleAsync(a => a.LearnerId == bob.Id && a.CertificationId == safety.Id);
        var results = await db.StepResults.AsNoTracking().Include(r => r.Step).ThenInclude(s => s!.Course).Where(r => r.LearnerId == bob.Id).ToListAsync();
        var safety101 = results.Where(r => r.Step!.Course!.Title == "Safety 101" && r.Step.IsGraded).ToList();
        Assert.Equal(5, DateOnly.FromDateTime(assignment.AssignedAt).DayNumber - DateOnly.FromDateTime(safety101.Max(r => r.CompletedAt)).DayNumber);
        Assert.Contains(safety101, r => r.Score < 80);

        var terms = (await ProgressRecompute.LoadTermsAsync(db, safety.Id, CancellationToken.None))!;
        var facts = results.Select(r => new ResultFact(r.Id, r.StepId, r.Score, r.CompletedAt)).ToList();
        AssignmentStatus StatusWithGrace(int days) => AssignmentRules.Evaluate(
            terms, new AssignmentFacts(assignment.AssignedAt, days, assignment.WithdrawnAt), facts, Now.UtcDateTime, OrganisationCalendar.Utc).Status;
        Assert.Equal(AssignmentStatus.Certified, StatusWithGrace(assignment.GraceDays));
        Assert.Equal(AssignmentStatus.InProgress, StatusWithGrace(0));
        Assert.Equal(AssignmentStatus.Certified, StatusWithGrace(5));
    }

    internal static async Task<bool> SeedAsync(TestDatabase database, DateTimeOffset now, OrganisationCalendar? calendar = null) =>
        await new DemoDataSeeder(database.Factory, new FakeTimeProvider(now), calendar ?? OrganisationCalendar.Utc).SeedIfEmptyAsync();

    private static List<AssignmentStatus> Distinct(IEnumerable<AssignmentStatus> statuses) => [.. statuses.Distinct().Order()];

    private static async Task<Certification> LoadCertificationAsync(CertificationsDbContext db, string name) =>
        await db.Certifications.AsNoTracking().Include(c => c.Courses).ThenInclude(cc => cc.Course).ThenInclude(c => c!.Steps).SingleAsync(c => c.Name == name);

    /// <summary>Each certification's assignment statuses as the portal derives and stores them at that instant.</summary>
    private static async Task<Dictionary<string, List<AssignmentStatus>>> StatusesAsync(TestDatabase database, OrganisationCalendar calendar, DateTime now)
    {
        var recompute = new ProgressRecompute(database.Factory, new FakeTimeProvider(new DateTimeOffset(now)), calendar, new global::Certifications.Core.Events.EventHub());
        await recompute.RecomputeAllAsync();
        await using var db = database.CreateContext();
        return (await db.Assignments.AsNoTracking().Select(a => new { a.Certification!.Name, a.Status }).ToListAsync())
            .GroupBy(a => a.Name)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Status).ToList());
    }

    /// <summary>Every table, in key order, as JSON: two data sets are the same when their snapshots are equal.</summary>
    private static async Task<List<string>> SnapshotAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return
        [
            Json(await db.Courses.AsNoTracking().OrderBy(c => c.Id).ToListAsync()),
            Json(await db.Steps.AsNoTracking().OrderBy(s => s.Id).ToListAsync()),
            Json(await db.Groups.AsNoTracking().OrderBy(g => g.Id).ToListAsync()),
            Json(await db.GroupCourses.AsNoTracking().OrderBy(g => g.GroupId).ThenBy(g => g.CourseId).ToListAsync()),
            Json(await db.Learners.AsNoTracking().OrderBy(l => l.Id).ToListAsync()),
            Json(await db.GroupMembers.AsNoTracking().OrderBy(m => m.GroupId).ThenBy(m => m.LearnerId).ToListAsync()),
            Json(await db.StepResults.AsNoTracking().OrderBy(r => r.Id).ToListAsync()),
            Json(await db.Certifications.AsNoTracking().OrderBy(c => c.Id).ToListAsync()),
            Json(await db.CertificationCourses.AsNoTracking().OrderBy(c => c.CertificationId).ThenBy(c => c.CourseId).ToListAsync()),
            Json(await db.CertificationGroups.AsNoTracking().OrderBy(c => c.CertificationId).ThenBy(c => c.GroupId).ToListAsync()),
            Json(await db.Assignments.AsNoTracking().OrderBy(a => a.Id).ToListAsync()),
            Json(await db.AssignmentSources.AsNoTracking().OrderBy(s => s.Id).ToListAsync()),
            Json(await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.At, e.Actor, e.EntityType, e.EntityId, e.Action, e.Changes }).ToListAsync()),
        ];
    }

    private static string Json<T>(List<T> rows) => JsonSerializer.Serialize(rows);
}
