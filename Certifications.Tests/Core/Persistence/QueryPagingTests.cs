using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Persistence;

public sealed class QueryPagingTests : IAsyncLifetime
{
    private readonly CommandLog statements = new();
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(statements);
        for (var i = 0; i < 25; i++)
        {
            await TestCatalog.AddCourseAsync(database, $"Course {i:00}");
        }
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Theory]
    [InlineData(0, 10, 10)]
    [InlineData(1, 10, 10)]
    [InlineData(2, 10, 5)]
    [InlineData(3, 10, 0)]
    [InlineData(4, 5, 5)]
    [InlineData(5, 5, 0)]
    [InlineData(0, 50, 25)]
    public async Task TheTotalIsRightOnEveryPageWhetherCountedOrTakenFromTheLastPage(int page, int pageSize, int expectedOnPage)
    {
        var result = await PageAsync(page, pageSize, "Course");

        Assert.Equal(25, result.Total);
        Assert.Equal([.. Enumerable.Range(page * pageSize, expectedOnPage).Select(i => $"Course {i:00}")], result.Items);
    }

    [Fact]
    public async Task APageThatIsNotFullGivesTheTotalWithoutASecondScan()
    {
        statements.Clear();
        var few = await PageAsync(0, 20, "Course 1");
        Assert.Equal((10, 1), (few.Total, statements.Count));

        statements.Clear();
        var none = await PageAsync(0, 20, "nothing like it");
        Assert.Equal((0, 1), (none.Total, statements.Count));

        statements.Clear();
        var full = await PageAsync(0, 20, "Course");
        Assert.Equal((25, 2), (full.Total, statements.Count));
    }

    private async Task<Page<string>> PageAsync(int page, int pageSize, string text)
    {
        await using var db = database.CreateContext();
        return await db.Courses.AsNoTracking().Where(c => SearchPattern.Matches(c.Title, SearchPattern.Contains(text)!))
            .OrderBy(c => c.Title).ToPageAsync(page, pageSize, 50, c => c.Title, default);
    }
}
