using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;

namespace Certifications.Tests.Core.Catalog;

public sealed class CatalogSearchTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private readonly CommandLog commands = new();
    private TestDatabase database = null!;
    private CatalogSearch search = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands);
        search = new CatalogSearch(database.Factory, new AccessGuard(database.Factory, TimeProvider.System));
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task OnlyPublishedNonTriggerCoursesAreOfferedWithTheirStepCounts()
    {
        await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2, ungradedSteps: 1);
        await TestCatalog.AddCourseAsync(database, "Safety 102 (draft)", published: false);
        await TestCatalog.AddCourseAsync(database, "Safety onboarding", trigger: true);
        await TestCatalog.AddCourseAsync(database, "Safety video", gradedSteps: 0, ungradedSteps: 1);

        var page = await search.SearchCoursesAsync(Admin, "safety");

        Assert.Equal(2, page.Total);
        Assert.Equal([new CourseOption(page.Items[0].Id, "Safety 101", 3, 2), new CourseOption(page.Items[1].Id, "Safety video", 1, 0)], page.Items);
    }

    [Fact]
    public async Task CourseSearchIsPagedAndTreatsWildcardsAsText()
    {
        for (var i = 0; i < 25; i++)
        {
            await TestCatalog.AddCourseAsync(database, $"Course {i:00}");
        }

        await TestCatalog.AddCourseAsync(database, "100% compliance");

        var second = await search.SearchCoursesAsync(Admin, "course", page: 1, pageSize: 10);
        Assert.Equal(25, second.Total);
        Assert.Equal("Course 10", second.Items[0].Title);
        Assert.Equal(10, second.Items.Count);
        Assert.Equal(["100% compliance"], (await search.SearchCoursesAsync(Admin, "0%")).Items.Select(c => c.Title));
    }

    [Fact]
    public async Task GroupsComeWithTheIncludedCoursesTheyLackNamed()
    {
        var safety = await TestCatalog.AddCourseAsync(database, "Safety 101");
        var fire = await TestCatalog.AddCourseAsync(database, "Fire Warden");
        await TestCatalog.AddGroupAsync(database, "Warehouse", safety, fire);
        await TestCatalog.AddGroupAsync(database, "Sales EMEA", safety);
        await TestCatalog.AddGroupAsync(database, "Finance");

        var page = await search.SearchGroupsAsync(Admin, null, [safety.Id, fire.Id]);

        var byName = page.Items.ToDictionary(g => g.Name);
        Assert.True(byName["Warehouse"].IsEligible);
        Assert.Equal(["Fire Warden"], byName["Sales EMEA"].MissingCourses);
        Assert.Equal(["Fire Warden", "Safety 101"], byName["Finance"].MissingCourses);
        Assert.All((await search.SearchGroupsAsync(Admin, "a", [])).Items, g => Assert.True(g.IsEligible));
    }

    [SqliteOnlyTheory("the query plan asked for is SQLite's (EXPLAIN QUERY PLAN)")]
    [InlineData("safety")]
    [InlineData("no such course")]
    public async Task CourseSearchScansTheOfferedCoursesIndexNeverTheTable(string text)
    {
        for (var i = 0; i < 30; i++)
        {
            await TestCatalog.AddCourseAsync(database, $"Safety {i:00}", published: i % 10 != 0, trigger: i % 10 == 5);
        }

        commands.Clear();
        await search.SearchCoursesAsync(Admin, text);

        // LIKE '%text%' cannot seek: the partial, covering index keeps the scans off the table and off what is never offered.
        var scans = (await commands.PlansAsync(database)).Where(step => step.StartsWith("SCAN", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scans);
        Assert.All(scans, scan => Assert.Equal("SCAN c USING COVERING INDEX IX_Courses_Offered", scan));
    }
}
